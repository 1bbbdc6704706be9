using System.Diagnostics;
using MemScan.Scanner.Results;
using MemScan.Scanner.Tests.Results;
using MemScan.Scanner.Tests.Vision;
using Xunit;

namespace MemScan.Scanner.Tests.Reliability;

/// <summary>
/// The real <c>memscan vision</c> killed with SIGKILL after a probe completed, then resumed with
/// <c>--resume</c>: the folder holds whole files only at the kill, and the resumed run ends with the
/// tables of an uninterrupted run of the same scan.
/// </summary>
public sealed class KilledVisionScanTests : IDisposable
{
    static readonly string[] Probes = ["mia", "canary_audit", "memorization", "predictions"];

    readonly TempFolder _dir = new();
    public void Dispose() => _dir.Dispose();

    // 28×28 inputs and a 10-step critical-sample search on the 60 training members keep the probes after the first
    // busy for about a second: long enough to be killed between them.
    string[] VisionArgs(TinyClassifier model, string images, string runId, params string[] extra) =>
    [
        "vision", model.ModelPath, "--runs", _dir.File("runs"), "--run-id", runId, "--images", images, "--max-images", "64",
        "--threads", "1", "--csr-examples", "64", "--csr-steps", "10", .. extra,
    ];

    [Fact]
    public async Task A_vision_scan_killed_after_a_probe_resumes_to_the_tables_of_an_uninterrupted_run()
    {
        var model = TinyClassifier.Write(_dir.File("family"), side: 28, hidden: 128);
        string images = model.ExamplesPath;
        var watch = Stopwatch.StartNew();
        var full = MemscanProcess.Run(VisionArgs(model, images, "full"));
        Assert.True(full.Code == 0, full.Stderr);
        double fullSeconds = watch.Elapsed.TotalSeconds;

        string killed = _dir.File("runs/killed");
        RunInfo atKill = RunFiles.KillAfterFirstProbe(VisionArgs(model, images, "killed"), killed);
        // the killed memscan ran the scan in a supervised child, which ends with it
        ModelHosts.AssertAllExit(model.ModelPath, "--in-process");
        atKill = RunInfo.Read(Path.Combine(killed, RunFolder.InfoFileName));
        Assert.Equal(RunStatus.Running, atKill.Status);
        Assert.InRange(atKill.CompletedProbes.Count, 1, Probes.Length - 1);
        await RunFiles.AssertEveryFileReads(killed);

        watch.Restart();
        var resumed = MemscanProcess.Run(VisionArgs(model, images, "killed", "--resume"));
        Assert.True(resumed.Code == 0, resumed.Stderr);
        Assert.Contains($"resuming run killed: {string.Join(", ", atKill.CompletedProbes)} already complete", resumed.Stderr);
        var fullTimings = RunInfo.Read(Path.Combine(_dir.File("runs/full"), RunFolder.InfoFileName)).TimingsSeconds;
        Console.WriteLine($"vision kill test: uninterrupted scan {fullSeconds:F1}s (memorization {fullTimings["memorization"]:F2}s); " +
                          $"killed after {string.Join(",", atKill.CompletedProbes)}; resume {watch.Elapsed.TotalSeconds:F1}s");

        RunInfo info = RunInfo.Read(Path.Combine(killed, RunFolder.InfoFileName));
        Assert.Equal(RunStatus.Complete, info.Status);
        Assert.Equal(Probes, info.CompletedProbes);
        Assert.Equal(atKill.StartedUtc, info.StartedUtc);
        await RunFiles.AssertSameTables(_dir.File("runs/full"), killed);
    }
}
