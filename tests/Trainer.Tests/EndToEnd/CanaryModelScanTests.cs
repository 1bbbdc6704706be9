using MemScan.Scanner.Metrics;
using MemScan.Scanner.Results;
using Xunit;

namespace MemScan.Trainer.Tests.EndToEnd;

public class CanaryModelScanTests(CanaryModelFixture fixture) : IClassFixture<CanaryModelFixture>
{
    [Fact]
    public async Task A_canary_inserted_64_times_has_exposure_near_its_maximum_and_one_never_inserted_near_zero()
    {
        var rows = await ExposureTable.ReadAsync(Path.Combine(fixture.RunDir, ExposureTable.FileName));
        var often = rows.Single(r => r.CanaryId == "often");
        var never = rows.Single(r => r.CanaryId == "never");
        double max = ExposureMath.Max(1e6);
        Assert.True(often.ExposureBits >= max - 2, $"64× canary exposure {often.ExposureBits:F2} bits (rank {often.Rank}) is not near {max:F2}");
        Assert.True(never.ExposureBits <= 4, $"uninserted canary exposure {never.ExposureBits:F2} bits (rank {never.Rank}) is above chance");
        Assert.Equal(CanaryExposure.Exact, often.Method);
        Assert.NotNull(never.ExtrapolatedExposureBits);
    }

    [Fact]
    public async Task Exact_and_extrapolated_exposure_agree_within_1_bit_where_both_apply()
    {
        // "Where both apply": below the ceiling. A secret ranked first has exact exposure capped at
        // log2(|R|-1), while the fitted tail keeps going; such canaries are excluded.
        var rows = await ExposureTable.ReadAsync(Path.Combine(fixture.RunDir, ExposureTable.FileName));
        var comparable = rows.Where(r => r.Method == CanaryExposure.Exact && r.Rank > 1 && r.ExtrapolatedExposureBits is not null).ToList();
        Assert.NotEmpty(comparable);
        foreach (var r in comparable)
            Assert.True(Math.Abs(r.ExposureBits - r.ExtrapolatedExposureBits!.Value) <= 1.0,
                $"{r.CanaryId}: exact {r.ExposureBits:F2} bits vs extrapolated {r.ExtrapolatedExposureBits:F2} bits");
    }

    [Fact]
    public async Task The_scan_writes_findings_and_exposure_tables_with_the_documented_columns()
    {
        string[] findingsColumns = ["probe", "subject", "severity", "severity_rank", "score", "score_name", "max_score", "evidence", "secret", "rank", "queries", "created_utc"];
        string[] exposureColumns = ["canary_id", "template", "secret", "insertions", "space_size", "log2_space", "log_perplexity", "rank", "exposure_bits", "method", "extrapolated_exposure_bits", "fit_location", "fit_scale", "fit_shape", "candidates_scored", "seconds"];
        Assert.Equal(findingsColumns, FindingsTable.ColumnNames);
        Assert.Equal(exposureColumns, ExposureTable.ColumnNames);

        var findings = await FindingsTable.ReadAsync(Path.Combine(fixture.RunDir, FindingsTable.FileName));
        Assert.Equal(["discoverable", "exposure", "extraction"], findings.Select(f => f.Probe).Distinct().Order());
        var often = findings.Single(f => f.Subject == "often" && f.Probe == "exposure");
        Assert.Equal(Severity.Critical, often.Severity);
        Assert.Equal("exposure_bits", often.ScoreName);
        Assert.Equal(fixture.Trained.Manifest.Canaries.Single(c => c.Id == "often").Secret, often.Secret);

        var info = RunFolder.Open(fixture.RunDir).ReadInfo();
        Assert.Equal(RunStatus.Complete, info.Status);
        Assert.Equal(RunInfo.ComputeSha256(fixture.Trained.ModelPath), info.ModelSha256);
    }

    [Fact]
    public async Task Extraction_recovers_a_secret_inserted_64_times_from_a_billion_candidates_with_far_fewer_queries()
    {
        var rows = await ParquetTable<MemScan.Scanner.Probes.Extraction.ExtractionRow>.ReadAsync(Path.Combine(fixture.RunDir, "extraction.parquet"));
        var billion = rows.Where(r => r.CanaryId == "billion").OrderBy(r => r.Order).ToList();
        var secret = fixture.Trained.Manifest.Canaries.Single(c => c.Id == "billion").Secret;
        Assert.Equal(secret, billion[0].Candidate);
        Assert.True(billion[0].IsSecret);
        long queries = billion[0].QueriesSoFar;
        TestContext.Current.SendDiagnosticMessage($"10^9 space: secret first after {queries:N0} model rows vs {billion[0].BruteForceQueries:E0} brute force");
        Console.WriteLine($"extraction: secret of a 10^9 space came out first after {queries:N0} model rows (brute force: {billion[0].BruteForceQueries:N0})");
        Assert.True(queries * 10_000 < billion[0].BruteForceQueries, $"{queries} model rows is not orders of magnitude below 10^9");
    }

    [Fact]
    public async Task Discoverable_memorization_is_measured_for_every_prompt_length()
    {
        var rows = await ParquetTable<MemScan.Scanner.Probes.Discoverable.DiscoverableRow>.ReadAsync(Path.Combine(fixture.RunDir, "discoverable.parquet"));
        Assert.Equal([8, 16, 32], rows.Select(r => r.PrefixTokens).Distinct().Order());
        Assert.All(rows, r => Assert.Equal(r.Exact, r.MatchedTokens == r.SuffixTokens));
        Assert.All(rows, r => Assert.Equal(r.SuffixTokens, r.TrueSuffix.Length));
    }

    [Fact]
    public void The_scan_exits_1_when_a_finding_reaches_the_fail_on_severity()
    {
        Assert.Equal(1, fixture.ExitCode);
    }

    [Fact]
    public void The_manifest_records_the_canaries_the_corpus_and_the_training()
    {
        var m = fixture.Trained.Manifest;
        Assert.Equal("char-lstm", m.Architecture);
        Assert.Equal([64, 0, 64], m.Canaries.Select(c => c.Insertions));
        Assert.NotNull(m.Samples?.Members);
        Assert.Equal("moby-dick", m.Training.Corpus);
        Assert.Equal(64, m.Training.CorpusSha256!.Length);
        Assert.Equal(300, m.Training.Steps);
        Assert.True(m.Training.FinalLoss < 3.0, $"final loss {m.Training.FinalLoss}");
    }
}
