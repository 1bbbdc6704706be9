using System.Diagnostics;

namespace MemScan.Scanner.Tests.Reliability;

/// <summary>The real <c>memscan</c> executable (memscan.dll beside the tests) as a child process.</summary>
internal static class MemscanProcess
{
    public static Process Start(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "memscan.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        return Process.Start(start)!;
    }

    /// <summary>Runs to the end; stdout and stderr are read concurrently so neither pipe can fill up and stall the child.</summary>
    public static (int Code, string Stdout, string Stderr) Run(IEnumerable<string> args)
    {
        using var process = Start(args);
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.GetAwaiter().GetResult());
    }
}
