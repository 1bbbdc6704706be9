using System.Diagnostics;

namespace MemScan.Scanner.Tests.Reliability;

/// <summary>The real <c>memscan</c> executable (memscan.dll beside the tests) as a child process.</summary>
internal static class MemscanProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "memscan.dll");

    public static Process Start(IEnumerable<string> args) => Process.Start(StartInfo(args))!;

    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        return start;
    }

    /// <summary>Runs to the end; stdout and stderr are read concurrently so neither pipe can fill up and stall the child.</summary>
    public static (int Code, string Stdout, string Stderr) Run(IEnumerable<string> args) => Run(StartInfo(args));

    /// <summary>Runs any process to the end, reading its output as <see cref="Run(IEnumerable{string})"/> does.</summary>
    public static (int Code, string Stdout, string Stderr) Run(ProcessStartInfo start)
    {
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.GetAwaiter().GetResult());
    }
}
