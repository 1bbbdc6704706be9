using System.Diagnostics;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Isolation;

/// <summary>
/// Isolation for a whole scan: <c>memscan vision</c> runs itself again as a child with
/// <c>--in-process</c>, so the classifier, its reference models and ONNX Runtime live in the child
/// only. The child writes the run folder and the console as usual (its output is this process's);
/// if ONNX Runtime crashes natively on a hostile model, the child dies and this process reports it
/// in one line and marks the run failed, which <c>--resume</c> continues. The run id is fixed here
/// (and passed down) so that this side knows the folder. The child watches its stdin, a pipe this
/// process holds open: when this process dies (a kill), the child ends too.
/// </summary>
public static class ScanSupervisor
{
    /// <summary>Set in the child's environment: it is supervised and should end when its supervisor does.</summary>
    public const string SupervisedVariable = "MEMSCAN_SUPERVISED";

    /// <summary>
    /// Runs this process's command line again in a child with <c>--in-process</c> (and
    /// <c>--run-id</c> when none was given) and returns its exit code; a child killed by a signal
    /// is a <see cref="MemScanException"/> after the run is marked failed.
    /// </summary>
    public static int Run(string modelPath, string runsRoot, string? runId)
    {
        var args = Environment.GetCommandLineArgs().Skip(1).ToList(); // [0] is memscan itself
        if (runId is null)
        {
            runId = RunFolder.NewRunId(modelPath, DateTime.UtcNow);
            args.AddRange(["--run-id", runId]);
        }
        int code = RunChild(args);
        if (code <= 128) return code; // the child said everything itself (0, 1 for --fail-on, 2 with its one line)
        // .NET reports death by signal N as 128 + N
        string message = ProcessDeaths.Killed(code)
            ? ProcessDeaths.KilledMessage("the scan process", "scanning", Path.GetFullPath(modelPath))
            : $"ONNX Runtime crashed while scanning {Path.GetFullPath(modelPath)} (signal {code - 128}); the model is corrupt or hostile";
        MarkFailed(Path.Combine(runsRoot, runId), message);
        throw new MemScanException($"{message}; completed probes are kept: --resume --run-id {runId} continues the run");
    }

    /// <summary>
    /// Runs this process again with <paramref name="args"/> plus <c>--in-process</c> in a supervised
    /// child and returns its exit code (128 + N when signal N killed it). Commands without a run
    /// folder (<c>memscan trajectory</c>, <c>memscan compare</c>) use it directly.
    /// </summary>
    public static int RunChild(IEnumerable<string> args)
    {
        var start = SelfProcess.StartInfo([.. args, "--in-process"]);
        start.RedirectStandardInput = true; // never written: its end of file tells the child we are gone
        start.Environment[SupervisedVariable] = "1";
        using var child = Process.Start(start) ?? throw new MemScanException("could not start the scan process");
        child.WaitForExit();
        return child.ExitCode;
    }

    /// <summary>
    /// <see cref="RunChild"/> with this process's own arguments; a child killed by a signal is one
    /// <see cref="MemScanException"/> line naming <paramref name="what"/> and what was kept.
    /// </summary>
    public static int RunSelf(string what, string kept)
    {
        int code = RunChild(Environment.GetCommandLineArgs().Skip(1));
        if (code <= 128) return code;
        if (ProcessDeaths.Killed(code))
            throw new MemScanException($"the scan process was killed while {what} (signal 9: out of memory? the kernel's out-of-memory killer sends it); lower --memory-budget or --batch; {kept}");
        throw new MemScanException($"ONNX Runtime crashed while {what} (signal {code - 128}); a model is corrupt or hostile; {kept}");
    }

    /// <summary>In the child: ends this process at once (as a kill would) when the supervisor's pipe closes.</summary>
    public static void EndWithSupervisor()
    {
        if (Environment.GetEnvironmentVariable(SupervisedVariable) != "1") return;
        var watcher = new Thread(() =>
        {
            using var stdin = Console.OpenStandardInput();
            var buffer = new byte[64];
            try
            {
                while (stdin.Read(buffer) > 0) { }
            }
            catch (IOException) { }
            Process.GetCurrentProcess().Kill(); // SIGKILL: what killing the supervisor meant
        }) { IsBackground = true, Name = "supervisor watch" };
        watcher.Start();
    }

    static void MarkFailed(string runFolder, string message)
    {
        try
        {
            if (!Directory.Exists(runFolder)) return;
            var folder = RunFolder.Open(runFolder);
            if (folder.ReadInfo().Status == RunStatus.Running) folder.MarkFailed(DateTime.UtcNow, message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or MemScanException)
        {
            // run.json stays as the child left it (running); the crash is still the one line the user sees
        }
    }
}
