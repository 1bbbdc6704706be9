using MemScan.Scanner.Results;
using MemScan.Scanner.Sweeps;
using Xunit;

namespace MemScan.Scanner.Tests.Sweeps;

/// <summary>
/// A merge of an incomplete sweep is refused, naming the missing, running and incomplete shards
/// and their batches; --allow-partial merges and records it. TinySweep: 22 samples in batches of 3
/// = batches 0..7, two per part; with 2 shards, shard 1 has batches 1, 3, 5, 7.
/// </summary>
public class SweepCompletenessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    static SweepMergeOptions Options(string dir, bool allowPartial = false, string? corpus = null) => new()
    {
        SweepDir = dir, AllowPartial = allowPartial, CorpusFiles = corpus is null ? [] : [corpus], MinMatch = 8, TopK = [5],
    };

    [Fact]
    public async Task A_merge_of_a_sweep_missing_a_shard_refuses_naming_it_and_writes_nothing()
    {
        using var tiny = new TinySweep();
        await SweepRun.RunAsync(tiny.Plan("half", ShardSpec.Parse("0/2")), cancellationToken: Ct);
        string dir = Path.Combine(tiny.SweepsRoot, "half");

        var e = await Assert.ThrowsAsync<SweepIncompleteException>(() => SweepMerge.RunAsync(Options(dir), ct: Ct));

        Assert.Equal("12 of 22 samples are committed: shard 1 not started", e.Completeness.Describe());
        Assert.Equal([1L, 3, 5, 7], Assert.Single(e.Completeness.Gaps).MissingBatches);
        Assert.Contains("--allow-partial", e.Message);
        Assert.False(File.Exists(Path.Combine(dir, SweepMergeResult.RankedFile)));
        Assert.False(File.Exists(Path.Combine(dir, MergeRecord.FileName)));
    }

    [Fact]
    public async Task A_shard_stopped_after_one_part_is_incomplete_and_one_being_written_is_running_with_its_batches_named()
    {
        using var tiny = new TinySweep();
        await SweepRun.RunAsync(tiny.Plan("s", ShardSpec.Parse("0/2")), cancellationToken: Ct);
        await SweepRun.RunAsync(tiny.Plan("s", ShardSpec.Parse("1/2"), maxParts: 1), cancellationToken: Ct);
        string dir = Path.Combine(tiny.SweepsRoot, "s");

        var stopped = await Assert.ThrowsAsync<SweepIncompleteException>(() => SweepMerge.RunAsync(Options(dir), ct: Ct));
        Assert.Equal("18 of 22 samples are committed: shard 1 incomplete (batches 5, 7 not committed)", stopped.Completeness.Describe());

        using (ShardLock.Acquire(HiveFolder.ShardFolder(dir, 1), 1))
        {
            var running = await Assert.ThrowsAsync<SweepIncompleteException>(() => SweepMerge.RunAsync(Options(dir), ct: Ct));
            Assert.Equal("18 of 22 samples are committed: shard 1 running (batches 5, 7 not committed)", running.Completeness.Describe());
        }

        await SweepRun.RunAsync(tiny.Plan("s", ShardSpec.Parse("1/2")), cancellationToken: Ct);
        var whole = await SweepMerge.RunAsync(Options(dir), ct: Ct);
        Assert.False(whole.Partial);
        var record = MergeRecord.Read(Path.Combine(dir, MergeRecord.FileName));
        Assert.True(record.Complete);
        Assert.Equal(22, record.SamplesMerged);
        Assert.Empty(record.Gaps);
    }

    [Fact]
    public async Task Allow_partial_merges_and_records_the_gaps_in_merge_json_and_the_findings()
    {
        using var tiny = new TinySweep();
        await SweepRun.RunAsync(tiny.Plan("p", ShardSpec.Parse("1/2")), cancellationToken: Ct);
        string dir = Path.Combine(tiny.SweepsRoot, "p");
        // a "training text" holding one committed sample verbatim, so there is a finding to mark
        var sample = (await tiny.ReadAsync("p")).First(r => r.Text.Length >= 8);
        string corpus = Path.Combine(tiny.Folder, "corpus.txt");
        File.WriteAllText(corpus, "<<" + sample.Text + ">>");

        var result = await SweepMerge.RunAsync(Options(dir, allowPartial: true, corpus), ct: Ct);

        Assert.True(result.Partial);
        Assert.Equal(10, result.Ranked.Count);
        var record = MergeRecord.Read(Path.Combine(dir, MergeRecord.FileName));
        Assert.False(record.Complete);
        Assert.Equal((22L, 10L, 2), (record.SamplesExpected!.Value, record.SamplesMerged, record.Shards!.Value));
        var gap = Assert.Single(record.Gaps);
        Assert.Equal((0, ShardGap.NotStarted), (gap.Shard, gap.State));
        Assert.Equal([0L, 2, 4, 6], gap.MissingBatches);
        Assert.Equal("10 of 22 samples are committed: shard 0 not started", record.GapsText);
        Assert.NotEmpty(result.Findings);
        Assert.All(result.Findings, f => Assert.EndsWith("(partial sweep: 10 of 22 samples merged)", f.Evidence));
        Assert.True(File.Exists(Path.Combine(dir, SweepMergeResult.RankedFile)));
    }

    [Fact]
    public void Batch_lists_are_written_as_runs_stepping_by_the_shard_count()
    {
        Assert.Equal("1, 3-7, 9", SweepCompleteness.Runs([1, 3, 4, 5, 6, 7, 9], 1));
        Assert.Equal("2-26 step 8, 40", SweepCompleteness.Runs([2, 10, 18, 26, 40], 8));
        Assert.Equal("5, 13", SweepCompleteness.Runs([5, 13], 8));
    }
}
