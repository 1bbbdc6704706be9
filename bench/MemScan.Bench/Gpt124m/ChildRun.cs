using System.Diagnostics;
using System.Globalization;

namespace MemScan.Bench.Gpt124m;

/// <summary>One command of the real CLI (<c>memscan scan</c> / <c>memscan sweep</c>) in a child process: its wall time, its output, and the peak RSS of it and of each process below it (the isolated model host).</summary>
public sealed record ChildResult(double WallSeconds, int ExitCode, string Output, double ScannerPeakMiB, double HostPeakMiB);

/// <summary>
/// Runs <c>dotnet memscan.dll ARGS</c> (the memscan.dll beside memscan-bench.dll) and samples every
/// 100 ms the resident-set high-water mark (VmHWM, which only grows) of the process and of its
/// descendants, so each process's peak is its last sample; the host's is the largest sum, at one
/// sample, over the descendants alive then (an upper bound of what the hosts held together).
/// </summary>
public static class ChildRun
{
    public static string MemscanDll => Path.Combine(AppContext.BaseDirectory, "memscan.dll");

    /// <param name="outputFile">Where the command's console output is kept, for reading after the bench.</param>
    public static ChildResult Run(IEnumerable<string> args, TextWriter log, string outputFile)
    {
        var start = new ProcessStartInfo("dotnet") { ArgumentList = { MemscanDll }, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["NO_COLOR"] = "1";
        start.Environment["COLUMNS"] = "240"; // keep table rows on one line
        var output = new System.Text.StringBuilder();
        var watch = Stopwatch.StartNew();
        using var p = Process.Start(start)!;
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var peaks = new Dictionary<int, double>();
        double hostPeak = 0;
        while (!p.WaitForExit(100))
        {
            // The hosts alive at one sample, summed: the target's host and a reference's host of a
            // mia scan coexist, but references are opened one after another, so the peaks of hosts
            // that never ran together are not added up.
            double alive = 0;
            foreach (int pid in WithDescendants(p.Id))
                if (PeakMiB(pid) is { } peak)
                {
                    peaks[pid] = Math.Max(peaks.GetValueOrDefault(pid), peak);
                    if (pid != p.Id) alive += peak;
                }
            hostPeak = Math.Max(hostPeak, alive);
        }
        p.WaitForExit();
        double wall = watch.Elapsed.TotalSeconds;
        string text;
        lock (output) text = output.ToString();
        Directory.CreateDirectory(Path.GetDirectoryName(outputFile)!);
        File.WriteAllText(outputFile, $"memscan {string.Join(' ', start.ArgumentList.Skip(1))}\n{text}");
        if (p.ExitCode != 0) log.WriteLine($"  memscan {string.Join(' ', start.ArgumentList.Skip(1))} exited {p.ExitCode}:\n{Tail(text, 2000)}");
        double scanner = peaks.GetValueOrDefault(p.Id);
        double host = hostPeak;
        return new ChildResult(wall, p.ExitCode, text, scanner, host);
    }

    static string Tail(string s, int chars) => s.Length <= chars ? s : s[^chars..];

    static IEnumerable<int> WithDescendants(int pid)
    {
        yield return pid;
        string children = $"/proc/{pid}/task/{pid}/children";
        string text;
        try { text = File.ReadAllText(children); }
        catch (IOException) { yield break; }
        catch (UnauthorizedAccessException) { yield break; }
        foreach (var child in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            foreach (int d in WithDescendants(int.Parse(child, CultureInfo.InvariantCulture)))
                yield return d;
    }

    static double? PeakMiB(int pid) => ProcMemory.PeakMiB(pid.ToString(CultureInfo.InvariantCulture));
}
