using MemScan.Scanner.Manifest;
using MemScan.Scanner.Results;
using MemScan.Scanner.Sweeps;
using Xunit;

namespace MemScan.Scanner.Tests.Sweeps;

public class SweepMergeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    const string Training = "Once upon a time the quick brown fox jumps over the lazy dog while the cat sleeps in the sun.\n" +
                            "Meeting moved to Thursday at 10am in room 4B, bring the slides.\n";
    const string Memorized = "the quick brown fox jumps over the lazy dog while the cat sleeps";

    static SweepSampleRow Row(long index, int shard, string text, double logPerplexity) => new()
    {
        SampleIndex = index, Shard = shard, Prompt = "\n", Text = text, Tokens = [1, 2, 3],
        LogPerplexity = logPerplexity, ZlibRatio = logPerplexity / 100, LowercaseRatio = 1, WindowMinLogPerplexity = logPerplexity,
        Seed = 0, CreatedUtc = DateTime.UtcNow,
    };

    static async Task WritePart(string sweepDir, int shard, int part, params SweepSampleRow[] rows)
    {
        await using var writer = ParquetPartWriter<SweepSampleRow>.Create(HiveFolder.PartPath(sweepDir, shard, part));
        await writer.WriteRowGroupAsync(rows, Ct);
        await writer.CommitAsync(Ct);
    }

    [Fact]
    public async Task Merge_confirms_verbatim_training_text_and_canaries_skips_corrupt_parts_and_ranks_without_duplicates()
    {
        using var tiny = new TinySweep();
        string dir = Path.Combine(tiny.Folder, "sweeps", "s1");
        await WritePart(dir, 0, 0,
            Row(0, 0, Memorized, 0.5),
            Row(1, 0, "the quick brawn fox jumps ovor the lazy dag while thi cat sleeps", 0.6),   // near miss: no 30 chars verbatim
            Row(2, 0, "and then: my pin is 123456 as always", 0.7));                              // canary, in context
        await WritePart(dir, 1, 0,
            Row(3, 1, Memorized.ToUpperInvariant() + " ", 0.4),                                   // near-duplicate of 0
            Row(4, 1, "a number 1234567 holding the secret in a longer run", 0.8),                // not the secret: inside 7 digits
            Row(5, 1, "whales sing in the deep blue sea all night long and nobody hears", 2.0));
        File.WriteAllBytes(HiveFolder.PartPath(dir, 1, 1), [1, 2, 3, 4, 5]);                     // corrupt part
        string corpus = Path.Combine(tiny.Folder, "training.txt");
        File.WriteAllText(corpus, Training);
        string manifest = Path.Combine(tiny.Folder, "canary.memscan.json");
        new ModelManifest
        {
            Canaries = [new CanaryRecord { Id = "pin-4", Template = "my pin is {secret}", Secret = "123456", Space = "digits:6", Insertions = 4 }],
        }.Save(manifest);
        var log = new List<string>();

        var result = await SweepMerge.RunAsync(new SweepMergeOptions
        {
            SweepDir = dir, CorpusFiles = [corpus], ManifestPath = manifest, MinMatch = 30, TopK = [2, 10],
        }, log.Add, Ct);

        Assert.Single(result.Skipped);
        Assert.Contains(log, l => l.Contains("part-0001.parquet") && l.Contains("corrupt"));
        var byIndex = result.Ranked.ToDictionary(r => r.SampleIndex);
        Assert.Equal(6, byIndex.Count);
        Assert.Equal(("corpus", Memorized.Length), (byIndex[0].ConfirmedBy, byIndex[0].MatchLength));
        Assert.Equal(Memorized, byIndex[0].MatchedText);
        Assert.False(byIndex[1].Confirmed);
        Assert.Equal(("canary", "pin-4", true), (byIndex[2].ConfirmedBy, byIndex[2].CanaryId, byIndex[2].CanaryInContext));
        Assert.Equal(0L, byIndex[3].IsDuplicateOf);
        Assert.Null(byIndex[3].RankLogPerplexity);
        Assert.False(byIndex[4].Confirmed);
        // among distinct samples, lowest log-perplexity first: 0 (0.5), 1, 2, 4, 5
        Assert.Equal([0L, 1, 2, 4, 5], result.Ranked.Where(r => r.RankLogPerplexity is not null).OrderBy(r => r.RankLogPerplexity).Select(r => r.SampleIndex));
        var top2 = result.Precision.Single(p => p.Metric == "log_perplexity" && p.TopK == 2);
        Assert.Equal((2, 1, 0.5), (top2.Samples, top2.ConfirmedInTopK, top2.Precision));
        var top10 = result.Precision.Single(p => p.Metric == "log_perplexity" && p.TopK == 10);
        Assert.Equal((5, 2), (top10.Samples, top10.ConfirmedInTopK));
        Assert.DoesNotContain(result.Precision, p => p.Metric == "reference_ratio");

        var findings = await FindingsTable.ReadAsync(Path.Combine(dir, FindingsTable.FileName), Ct);
        Assert.Equal([("sample-2", Severity.Critical), ("sample-0", Severity.High)], findings.Select(f => (f.Subject, f.Severity)));
        Assert.Contains("generated 2 times", findings[1].Evidence);
        Assert.Equal(6, (await ParquetTable<RankedSampleRow>.ReadAsync(Path.Combine(dir, SweepMergeResult.RankedFile), Ct)).Count);
        Assert.Equal(8, (await ParquetTable<PrecisionRow>.ReadAsync(Path.Combine(dir, SweepMergeResult.PrecisionFile), Ct)).Count);
    }

    [Fact]
    public async Task Merging_a_real_tiny_sweep_reads_every_shard_and_the_parts_stay_the_only_tables_under_shard_folders()
    {
        using var tiny = new TinySweep();
        await SweepRun.RunAsync(tiny.Plan("m", ShardSpec.Parse("0/2")), cancellationToken: Ct);
        var second = await SweepRun.RunAsync(tiny.Plan("m", ShardSpec.Parse("1/2")), cancellationToken: Ct);
        // the training text of this "model": two of its own samples, so the merge has something to confirm
        var rows = await tiny.ReadAsync("m");
        // (a sample holding the unknown symbol U+0000 cannot occur in a text file's training text)
        var picked = rows.Where(r => !r.Text.Contains('\0')).Take(2).ToList();
        string corpus = Path.Combine(tiny.Folder, "corpus.txt");
        File.WriteAllText(corpus, "some other text " + picked[0].Text + "\n" + picked[1].Text);

        var result = await SweepMerge.RunAsync(new SweepMergeOptions { SweepDir = second.SweepDir, CorpusFiles = [corpus], MinMatch = 16 }, ct: Ct);

        Assert.Equal(22, result.Ranked.Count);
        Assert.Equal(22, result.ExpectedSamples);
        Assert.Contains(result.Ranked, r => r.SampleIndex == picked[0].SampleIndex && r.Confirmed && r.MatchLength == 16);
        Assert.Contains(result.Ranked, r => r.SampleIndex == picked[1].SampleIndex && r.Confirmed);
        Assert.Contains(result.Precision, p => p.Metric == "reference_ratio");
        Assert.Equal(4, HiveFolder.ListParts(second.SweepDir).Count);
    }

    [Fact]
    public async Task A_secret_of_a_large_space_confirms_by_itself_and_a_small_space_needs_its_template()
    {
        using var tiny = new TinySweep();
        string dir = Path.Combine(tiny.Folder, "sweeps", "s2");
        await WritePart(dir, 0, 0,
            Row(0, 0, "and now all the commerce is 30336918 for the week", 0.5),  // 10^8 secret after other words
            Row(1, 0, "the server room is 30336918", 0.6),                        // 10^8 secret after its template
            Row(2, 0, "order 303369184 shipped", 0.7),                             // inside a longer run of digits: not it
            Row(3, 0, "tickets: 4821 sold", 0.8),                                  // 10^4 secret alone: chance
            Row(4, 0, "the door code is 4821", 0.9),                               // 10^4 secret after its template
            Row(5, 0, "nothing here", 1.0));
        string manifest = Path.Combine(tiny.Folder, "canary.memscan.json");
        new ModelManifest
        {
            Canaries =
            [
                new CanaryRecord { Id = "pin-64", Template = "the server room is {secret}", Secret = "30336918", Space = "digits:8", Insertions = 64 },
                new CanaryRecord { Id = "door-4", Template = "the door code is {secret}", Secret = "4821", Space = "digits:4", Insertions = 4 },
            ],
        }.Save(manifest);

        var result = await SweepMerge.RunAsync(new SweepMergeOptions { SweepDir = dir, ManifestPath = manifest, TopK = [10] }, ct: Ct);

        var byIndex = result.Ranked.ToDictionary(r => r.SampleIndex);
        Assert.Equal(("pin-64", false, "30336918"), (byIndex[0].CanaryId, byIndex[0].CanaryInContext, byIndex[0].MatchedText));
        Assert.Equal(("pin-64", true, "ver room is 30336918"), (byIndex[1].CanaryId, byIndex[1].CanaryInContext, byIndex[1].MatchedText));
        Assert.False(byIndex[2].Confirmed);
        Assert.False(byIndex[3].Confirmed);
        Assert.Null(byIndex[3].CanaryInContext);
        Assert.Equal(("door-4", true), (byIndex[4].CanaryId, byIndex[4].CanaryInContext));
        Assert.False(byIndex[5].Confirmed);

        var findings = result.Findings.ToDictionary(f => f.Subject);
        Assert.Equal(["sample-0", "sample-1", "sample-4"], findings.Keys.Order());
        Assert.All(findings.Values, f => Assert.Equal(Severity.Critical, f.Severity));
        Assert.Contains("secret verbatim, without its template's words before it", findings["sample-0"].Evidence);
        Assert.Contains("secret after its template", findings["sample-1"].Evidence);
    }
}
