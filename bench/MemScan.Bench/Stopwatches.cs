using System.Diagnostics;

namespace MemScan.Bench;

/// <summary>Times an action after a warm-up run; reports the best of a few repetitions.</summary>
public static class Timing
{
    public static double BestSeconds(Action action, int repetitions = 3, bool warmUp = true)
    {
        if (warmUp) action();
        double best = double.MaxValue;
        for (int i = 0; i < repetitions; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }
        return best;
    }

    public static double PeakRssMiB()
    {
        // VmHWM is the resident-set high-water mark of this process.
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:")) return double.Parse(line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
        return Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;
    }
}
