using System.Diagnostics;
using System.Text.RegularExpressions;

namespace MemScan.Bench;

/// <summary>
/// Runs this bench again as a child process (<c>dotnet memscan-bench.dll FLAG ARGS</c>), for
/// measurements that need a fresh process (per-process heap settings, a clean VmHWM), and returns
/// the match of <paramref name="printed"/> in what it wrote; throws with its output otherwise.
/// </summary>
public static class BenchChild
{
    public static Match Run(string what, Regex printed, string flag, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "memscan-bench.dll"));
        start.ArgumentList.Add(flag);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var m = printed.Match(output);
        if (p.ExitCode != 0 || !m.Success) throw new InvalidOperationException($"{what} exited {p.ExitCode}: {output}");
        return m;
    }
}
