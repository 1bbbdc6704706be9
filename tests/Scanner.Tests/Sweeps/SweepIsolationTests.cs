using MemScan.Scanner.Results;
using MemScan.Scanner.Sweeps;
using MemScan.Scanner.Tests.Reliability;
using Xunit;

namespace MemScan.Scanner.Tests.Sweeps;

/// <summary>
/// <c>memscan sweep</c> runs the target and the reference model in <c>memscan host-model</c>
/// children by default, as <c>memscan scan</c> does: the rows are those of an in-process sweep, and
/// a host that dies mid-sweep (as on a native crash of ONNX Runtime) is one clear error after
/// which a rerun resumes from the last committed part to the rows of a sweep that never crashed.
/// </summary>
public sealed class SweepIsolationTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_isolated_sweep_writes_the_rows_of_an_in_process_one()
    {
        using var tiny = new TinySweep();
        var isolated = await SweepRun.RunAsync(tiny.Plan("isolated"), cancellationToken: Ct);
        await SweepRun.RunAsync(tiny.Plan("in-process") with { Isolate = false }, cancellationToken: Ct);
        Assert.Contains("isolated model host", isolated.Device);
        Assert.Equal(TinySweep.Content(await tiny.ReadAsync("in-process")), TinySweep.Content(await tiny.ReadAsync("isolated")));
    }

    [Fact]
    public async Task A_model_host_that_dies_mid_sweep_is_one_clear_error_and_a_rerun_resumes_to_the_clean_rows()
    {
        if (!OperatingSystem.IsLinux()) return; // finds the host through /proc
        using var tiny = new TinySweep();
        await SweepRun.RunAsync(tiny.Plan("clean"), cancellationToken: Ct);

        int killed = 0;
        var e = await Assert.ThrowsAsync<MemScanException>(() => SweepRun.RunAsync(tiny.Plan("crashed"),
            progress: p => { if (p.Part == 1 && killed == 0) killed = ModelHosts.Kill(tiny.ModelPath); }, cancellationToken: Ct));
        Assert.Equal(1, killed);
        Assert.Contains("was killed while running", e.Message);
        Assert.Contains("signal 9: out of memory?", e.Message);
        string shardDir = HiveFolder.ShardFolder(Path.Combine(tiny.SweepsRoot, "crashed"), 0);
        Assert.Equal(["part-0000.parquet"], Directory.GetFiles(shardDir, "*.parquet").Select(Path.GetFileName));

        var resumed = await SweepRun.RunAsync(tiny.Plan("crashed"), cancellationToken: Ct);
        Assert.True(resumed.Shard.Complete);
        Assert.Equal(6, resumed.Shard.SamplesAlreadyCommitted);
        Assert.Equal(TinySweep.Content(await tiny.ReadAsync("clean")), TinySweep.Content(await tiny.ReadAsync("crashed")));
    }
}
