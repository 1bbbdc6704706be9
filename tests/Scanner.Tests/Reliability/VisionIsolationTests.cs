using System.Diagnostics;
using MemScan.Scanner.Results;
using MemScan.Scanner.Tests.Results;
using MemScan.Scanner.Tests.Vision;
using Xunit;

namespace MemScan.Scanner.Tests.Reliability;

/// <summary>
/// <c>memscan vision</c> runs the scan (classifier, references, ONNX Runtime) in a child by default:
/// a child that dies mid-run, as on a native crash of ONNX Runtime, is one line and exit code 2
/// from memscan, a run marked failed with the reason, and a <c>--resume</c> that ends with the
/// tables of a run that never crashed. Linux only (finds the child through /proc).
/// </summary>
public sealed class VisionIsolationTests : IDisposable
{
    readonly TempFolder _dir = new();
    public void Dispose() => _dir.Dispose();

    string[] VisionArgs(TinyClassifier model, string runId, params string[] extra) =>
    [
        "vision", model.ModelPath, "--runs", _dir.File("runs"), "--run-id", runId, "--images", model.ExamplesPath, "--max-images", "64",
        "--threads", "1", "--csr-examples", "64", "--csr-steps", "10", .. extra,
    ];

    [Fact]
    public async Task A_scan_child_that_dies_mid_run_is_one_line_a_failed_run_and_a_working_resume()
    {
        if (!OperatingSystem.IsLinux()) return;
        var model = TinyClassifier.Write(_dir.File("family"), side: 28, hidden: 128);
        var clean = MemscanProcess.Run(VisionArgs(model, "clean"));
        Assert.True(clean.Code == 0, clean.Stderr);

        string crashed = _dir.File("runs/crashed"), infoPath = Path.Combine(crashed, RunFolder.InfoFileName);
        using var process = MemscanProcess.Start(VisionArgs(model, "crashed"));
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var deadline = Stopwatch.StartNew();
        while (!(File.Exists(infoPath) && RunInfo.Read(infoPath).CompletedProbes.Count > 0))
        {
            Assert.False(process.HasExited, "memscan ended before its scan child could be killed");
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "no probe completed within 60 s");
            Thread.Sleep(10);
        }
        Assert.Equal(1, ModelHosts.Kill(model.ModelPath, "--in-process")); // SIGKILL, as the kernel's out-of-memory killer ends a child
        process.WaitForExit();

        Assert.Equal(2, process.ExitCode);
        string line = Assert.Single((await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.StartsWith("memscan: error:", StringComparison.Ordinal)));
        Assert.Contains($"the scan process was killed while scanning {model.ModelPath} (signal 9: out of memory?", line);
        Assert.Contains("--resume --run-id crashed continues the run", line);
        RunInfo failed = RunInfo.Read(infoPath);
        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Contains("the scan process was killed while scanning", failed.Error);

        var resumed = MemscanProcess.Run(VisionArgs(model, "crashed", "--resume"));
        Assert.True(resumed.Code == 0, resumed.Stderr);
        Assert.Equal(RunStatus.Complete, RunInfo.Read(infoPath).Status);
        await RunFiles.AssertSameTables(_dir.File("runs/clean"), crashed);
        await stdout;
    }
}
