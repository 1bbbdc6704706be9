using MemScan.Scanner.Results;
using MemScan.Scanner.Sweeps;
using Xunit;

namespace MemScan.Scanner.Tests.Sweeps;

public class SweepResumeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_sweep_stopped_after_every_part_and_restarted_has_exactly_the_rows_of_an_uninterrupted_run()
    {
        using var tiny = new TinySweep();
        var clean = await SweepRun.RunAsync(tiny.Plan("clean"), cancellationToken: Ct);
        Assert.True(clean.Shard.Complete);

        int runs = 0;
        SweepRunResult step;
        do
        {
            step = await SweepRun.RunAsync(tiny.Plan("stepped", maxParts: 1), cancellationToken: Ct);
            runs++;
        } while (!step.Shard.Complete && runs < 20);

        // 22 samples in batches of 3 = 8 batches, 2 per part = 4 parts, one per run
        Assert.Equal(4, runs);
        var expected = await tiny.ReadAsync("clean");
        Assert.Equal(22, expected.Count);
        Assert.Equal(Enumerable.Range(0, 22).Select(i => (long)i), expected.Select(r => r.SampleIndex));
        Assert.Equal(TinySweep.Content(expected), TinySweep.Content(await tiny.ReadAsync("stepped")));
    }

    [Fact]
    public async Task A_sweep_killed_mid_part_leaving_a_temp_part_resumes_without_losses_or_duplicates()
    {
        using var tiny = new TinySweep();
        await SweepRun.RunAsync(tiny.Plan("clean"), cancellationToken: Ct);

        // cancel after the first batch of part 1 is written into its temp file (part 0 is committed)
        using var kill = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SweepRun.RunAsync(tiny.Plan("killed"),
            progress: p => { if (p.Part == 1 && !p.PartCommitted) kill.Cancel(); }, cancellationToken: kill.Token));
        string shardDir = HiveFolder.ShardFolder(Path.Combine(tiny.SweepsRoot, "killed"), 0);
        Assert.Equal(["part-0000.parquet"], Directory.GetFiles(shardDir, "*.parquet").Select(Path.GetFileName));
        // what SIGKILL leaves: a half-written temp part the writer never got to delete
        File.WriteAllBytes(Path.Combine(shardDir, ".part-0001.parquet.deadbeef.tmp"), [0x50, 0x41, 0x52, 0x31, 1, 2, 3]);

        var resumed = await SweepRun.RunAsync(tiny.Plan("killed"), cancellationToken: Ct);

        Assert.True(resumed.Shard.Complete);
        Assert.Equal(1, resumed.Shard.StaleTempFilesRemoved);
        Assert.Equal(6, resumed.Shard.SamplesAlreadyCommitted);
        Assert.Equal(16, resumed.Shard.SamplesWritten);
        Assert.Empty(Directory.GetFiles(shardDir, "*.tmp"));
        Assert.Equal(TinySweep.Content(await tiny.ReadAsync("clean")), TinySweep.Content(await tiny.ReadAsync("killed")));
    }

    [Fact]
    public async Task Shards_0_of_2_and_1_of_2_together_equal_the_unsharded_sweep()
    {
        using var tiny = new TinySweep();
        await SweepRun.RunAsync(tiny.Plan("whole"), cancellationToken: Ct);
        var first = await SweepRun.RunAsync(tiny.Plan("halves", ShardSpec.Parse("0/2")), cancellationToken: Ct);
        var second = await SweepRun.RunAsync(tiny.Plan("halves", ShardSpec.Parse("1/2")), cancellationToken: Ct);

        // batches 0,2,4,6 (samples 0-2, 6-8, 12-14, 18-20) and 1,3,5,7 (the rest; batch 7 holds sample 21 only)
        Assert.Equal(12, first.Shard.SamplesWritten);
        Assert.Equal(10, second.Shard.SamplesWritten);
        var halves = await tiny.ReadAsync("halves");
        Assert.Equal(halves.Select(r => (int)(r.SampleIndex / 3 % 2)), halves.Select(r => r.Shard));
        Assert.Equal(TinySweep.Content(await tiny.ReadAsync("whole"), withShard: false), TinySweep.Content(halves, withShard: false));
    }

    [Fact]
    public async Task A_stateful_lstm_sweep_resumed_after_a_kill_and_one_split_in_shards_equal_the_clean_run()
    {
        using var tiny = new TinySweep(lstm: true);
        var clean = await SweepRun.RunAsync(tiny.Plan("clean"), cancellationToken: Ct);
        Assert.Contains("Cpu", clean.Device, StringComparison.OrdinalIgnoreCase);

        using var kill = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SweepRun.RunAsync(tiny.Plan("killed"),
            progress: p => { if (p.Part == 2 && !p.PartCommitted) kill.Cancel(); }, cancellationToken: kill.Token));
        await SweepRun.RunAsync(tiny.Plan("killed"), cancellationToken: Ct);
        await SweepRun.RunAsync(tiny.Plan("sharded", ShardSpec.Parse("1/3")), cancellationToken: Ct);
        await SweepRun.RunAsync(tiny.Plan("sharded", ShardSpec.Parse("0/3")), cancellationToken: Ct);
        await SweepRun.RunAsync(tiny.Plan("sharded", ShardSpec.Parse("2/3")), cancellationToken: Ct);

        var expected = TinySweep.Content(await tiny.ReadAsync("clean"));
        Assert.Equal(22, expected.Count);
        Assert.Equal(expected, TinySweep.Content(await tiny.ReadAsync("killed")));
        Assert.Equal(TinySweep.Content(await tiny.ReadAsync("clean"), withShard: false),
            TinySweep.Content(await tiny.ReadAsync("sharded"), withShard: false));
    }

    [Fact]
    public async Task Every_score_is_filled_and_the_reference_ratio_is_set_when_a_reference_is_given()
    {
        using var tiny = new TinySweep();
        await SweepRun.RunAsync(tiny.Plan("scores"), cancellationToken: Ct);

        var rows = await tiny.ReadAsync("scores");
        Assert.All(rows, r =>
        {
            Assert.Equal(16, r.Tokens.Length);
            Assert.Equal(16, r.Text.Length);
            Assert.Equal("\n", r.Prompt);
            Assert.True(r.LogPerplexity > 0 && double.IsFinite(r.LogPerplexity));
            Assert.True(r.WindowMinLogPerplexity <= r.LogPerplexity + 1e-9);
            Assert.True(r.ZlibRatio > 0 && r.LowercaseRatio > 0);
            Assert.True(r.ReferenceRatio is double d && double.IsFinite(d));
            Assert.Equal(11, r.Seed);
        });
        // top-k 5 of 12 symbols: tokens come from the 5 most likely after each symbol, never an unlisted one
        Assert.All(rows.SelectMany(r => r.Tokens), t => Assert.InRange(t, 0, TinySweep.Symbols.Length - 1));
    }

    [Fact]
    public async Task Prompts_are_drawn_per_sample_from_the_prompt_file_cut_to_their_first_tokens_and_the_file_is_part_of_the_identity()
    {
        using var tiny = new TinySweep();
        string prompts = Path.Combine(tiny.Folder, "prompts.txt");
        File.WriteAllText(prompts, "abc abc\n\nCBA x\nyy.\n");
        var settings = TinySweep.Settings with { PromptFile = prompts, PromptTokens = 2 };

        var run = await SweepRun.RunAsync(tiny.Plan("prompted", settings: settings), cancellationToken: Ct);
        foreach (string shard in new[] { "0/2", "1/2" })
            await SweepRun.RunAsync(tiny.Plan("prompted-halves", ShardSpec.Parse(shard), settings: settings), cancellationToken: Ct);

        var rows = await tiny.ReadAsync("prompted");
        Assert.Equal(["CB", "ab", "yy"], rows.Select(r => r.Prompt).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(TinySweep.Content(rows, withShard: false), TinySweep.Content(await tiny.ReadAsync("prompted-halves"), withShard: false));
        Assert.Contains("3 prompts, first 2 tokens", run.Info.Prompts);

        File.AppendAllText(prompts, "new line\n");
        var e = await Assert.ThrowsAsync<MemScanException>(() => SweepRun.RunAsync(tiny.Plan("prompted", settings: settings), cancellationToken: Ct));
        Assert.Contains("prompts_sha256", e.Message);
    }

    [Fact]
    public async Task A_restart_with_other_settings_is_refused_and_names_the_difference()
    {
        using var tiny = new TinySweep();
        await SweepRun.RunAsync(tiny.Plan("fixed", maxParts: 1), cancellationToken: Ct);

        var e = await Assert.ThrowsAsync<MemScanException>(() =>
            SweepRun.RunAsync(tiny.Plan("fixed", settings: TinySweep.Settings with { TopK = 3 }), cancellationToken: Ct));
        Assert.Contains("top_k '5' there, '3' here", e.Message);

        var sharded = await Assert.ThrowsAsync<MemScanException>(() =>
            SweepRun.RunAsync(tiny.Plan("fixed", ShardSpec.Parse("1/2")), cancellationToken: Ct));
        Assert.Contains("shards '1' there, '2' here", sharded.Message);
    }

    [Fact]
    public async Task The_default_sweep_id_is_the_same_for_the_same_command_and_differs_with_the_settings()
    {
        using var tiny = new TinySweep();
        var a = await SweepRun.RunAsync(tiny.Plan("x", maxParts: 1) with { SweepId = null }, cancellationToken: Ct);
        var b = await SweepRun.RunAsync(tiny.Plan("x", maxParts: 1) with { SweepId = null }, cancellationToken: Ct);
        var c = await SweepRun.RunAsync(tiny.Plan("x", maxParts: 1, settings: TinySweep.Settings with { Seed = 12 }) with { SweepId = null }, cancellationToken: Ct);

        Assert.Equal(a.SweepDir, b.SweepDir);
        Assert.StartsWith("tiny-", a.Info.SweepId);
        Assert.NotEqual(a.SweepDir, c.SweepDir);
        Assert.Equal(2, b.Shard.SamplesAlreadyCommitted / 3);
    }
}
