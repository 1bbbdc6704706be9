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
    public async Task The_scan_writes_findings_and_exposure_tables_with_the_documented_columns()
    {
        string[] findingsColumns = ["probe", "subject", "severity", "severity_rank", "score", "score_name", "max_score", "evidence", "secret", "rank", "queries", "created_utc"];
        string[] exposureColumns = ["canary_id", "template", "secret", "insertions", "space_size", "log2_space", "log_perplexity", "rank", "exposure_bits", "method", "extrapolated_exposure_bits", "candidates_scored", "seconds"];
        Assert.Equal(findingsColumns, FindingsTable.ColumnNames);
        Assert.Equal(exposureColumns, ExposureTable.ColumnNames);

        var findings = await FindingsTable.ReadAsync(Path.Combine(fixture.RunDir, FindingsTable.FileName));
        Assert.Equal(2, findings.Count);
        var often = findings.Single(f => f.Subject == "often");
        Assert.Equal(Severity.Critical, often.Severity);
        Assert.Equal("exposure_bits", often.ScoreName);
        Assert.Equal(fixture.Trained.Manifest.Canaries.Single(c => c.Id == "often").Secret, often.Secret);

        var info = RunFolder.Open(fixture.RunDir).ReadInfo();
        Assert.Equal(RunStatus.Complete, info.Status);
        Assert.Equal(RunInfo.ComputeSha256(fixture.Trained.ModelPath), info.ModelSha256);
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
        Assert.Equal([64, 0], m.Canaries.Select(c => c.Insertions));
        Assert.Equal("moby-dick", m.Training.Corpus);
        Assert.Equal(64, m.Training.CorpusSha256!.Length);
        Assert.Equal(300, m.Training.Steps);
        Assert.True(m.Training.FinalLoss < 3.0, $"final loss {m.Training.FinalLoss}");
    }
}
