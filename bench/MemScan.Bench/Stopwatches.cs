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

    /// <summary>This process's resident-set high-water mark (VmHWM; .NET's figure off Linux).</summary>
    public static double PeakRssMiB() => ProcMemory.PeakMiB() ?? Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;
}
