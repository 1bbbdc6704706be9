using System.Diagnostics;
using MemScan.Scanner.Results;
using MemScan.Scanner.Tests.Results;
using Xunit;

namespace MemScan.Scanner.Tests.Reliability;

/// <summary>
/// The real <c>memscan scan</c> killed with SIGKILL after a probe completed, then resumed with
/// <c>--resume</c>: the folder holds whole files only at the kill, and the resumed run ends with the
/// tables of an uninterrupted run of the same scan.
/// </summary>
public sealed class KilledScanTests : IDisposable
{
    static readonly string[] Probes = ["exposure", "extraction", "discoverable", "mia"];

    readonly TempFolder _dir = new();
    public void Dispose() => _dir.Dispose();

    string[] ScanArgs(TinyScanModel model, string runId, params string[] extra) =>
    [
        "scan", model.ModelPath, "--runs", _dir.File("runs"), "--run-id", runId, "--probes", string.Join(",", Probes),
        "--threads", "1", "--prefix-lengths", "4,8", "--suffix-tokens", "8", "--folds", "3", "--bootstrap", "200", "--samples", "200",
        .. extra,
    ];

    [Fact]
    public async Task A_scan_killed_after_a_probe_resumes_to_the_tables_of_an_uninterrupted_run()
    {
        var model = TinyScanModel.Write(_dir.File("model"));
        var watch = Stopwatch.StartNew();
        var full = MemscanProcess.Run(ScanArgs(model, "full"));
        Assert.True(full.Code == 0, full.Stderr);
        double fullSeconds = watch.Elapsed.TotalSeconds;

        string killed = _dir.File("runs/killed");
        RunInfo atKill = RunFiles.KillAfterFirstProbe(ScanArgs(model, "killed"), killed);
        Assert.Equal(RunStatus.Running, atKill.Status);
        Assert.InRange(atKill.CompletedProbes.Count, 1, Probes.Length - 1);
        await RunFiles.AssertEveryFileReads(killed);
        ModelHosts.AssertAllExit(model.ModelPath);

        watch.Restart();
        var resumed = MemscanProcess.Run(ScanArgs(model, "killed", "--resume"));
        Assert.True(resumed.Code == 0, resumed.Stderr);
        Assert.Contains($"resuming run killed: {string.Join(", ", atKill.CompletedProbes)} already complete", resumed.Stderr);
        Console.WriteLine($"kill test: uninterrupted scan {fullSeconds:F1}s; killed after {string.Join(",", atKill.CompletedProbes)}; " +
                          $"resume {watch.Elapsed.TotalSeconds:F1}s");

        RunInfo info = RunInfo.Read(Path.Combine(killed, RunFolder.InfoFileName));
        Assert.Equal(RunStatus.Complete, info.Status);
        Assert.Equal(Probes.Order(), info.CompletedProbes.Order());
        Assert.Equal(atKill.StartedUtc, info.StartedUtc);
        await RunFiles.AssertSameTables(_dir.File("runs/full"), killed);
    }
}
