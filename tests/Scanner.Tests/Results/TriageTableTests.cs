using MemScan.Scanner.Results;
using Parquet;
using Xunit;

namespace MemScan.Scanner.Tests.Results;

public class TriageTableTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateTime Noon = new(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc);

    private static TriageRecord Decision(string key, TriageStatus status, string note, DateTime when) => new()
    {
        FindingKey = key, Status = status.ToName(), Note = note, Analyst = "alice", UpdatedUtc = when,
    };

    [Fact]
    public async Task Triage_records_round_trip_with_equal_values()
    {
        using var dir = new TempFolder();
        string path = dir.File(TriageTable.FileName);
        TriageRecord[] rows =
        [
            Decision("exposure/pin-1/exposure_bits", TriageStatus.Confirmed, "rank 1 of 1e6", Noon),
            Decision("mia/model/roc_auc", TriageStatus.AcceptedRisk, "", Noon.AddMinutes(1)),
        ];

        await TriageTable.WriteAsync(path, rows, Ct);

        Assert.Equal(rows, await TriageTable.ReadAsync(path, Ct));
        Assert.Equal([TriageTable.FileName], dir.AllFiles());
    }

    [Fact]
    public async Task The_file_has_the_documented_columns_in_order()
    {
        using var dir = new TempFolder();
        string path = dir.File(TriageTable.FileName);

        await TriageTable.WriteAsync(path, [Decision("a/b/c", TriageStatus.FalsePositive, "n", Noon)], Ct);

        await using ParquetReader reader = await ParquetReader.CreateAsync(path, cancellationToken: Ct);
        string[] documented = ["finding_key", "status", "note", "analyst", "updated_utc"];
        Assert.Equal(documented, reader.Schema.DataFields.Select(f => f.Name));
        Assert.Equal(documented, TriageTable.ColumnNames);
        Assert.Equal("triage", reader.CustomMetadata[ParquetTable<TriageRecord>.TableKey]);
    }

    [Fact]
    public async Task A_missing_triage_file_reads_as_no_decisions()
    {
        using var dir = new TempFolder();

        Assert.Empty(await TriageTable.ReadAsync(dir.File(TriageTable.FileName), Ct));
    }

    [Fact]
    public async Task Appending_keeps_earlier_decisions_and_the_latest_per_finding_wins()
    {
        using var dir = new TempFolder();
        string path = dir.File(TriageTable.FileName);

        await TriageTable.AppendAsync(path, Decision("x/y/z", TriageStatus.Confirmed, "first look", Noon), Ct);
        await TriageTable.AppendAsync(path, Decision("x/y/z", TriageStatus.FalsePositive, "common text", Noon.AddHours(1)), Ct);
        await TriageTable.AppendAsync(path, Decision("a/b/c", TriageStatus.AcceptedRisk, "rotated", Noon), Ct);

        Assert.Equal(3, (await TriageTable.ReadAsync(path, Ct)).Count);
        IReadOnlyDictionary<string, TriageRecord> latest = await TriageTable.ReadLatestAsync(path, Ct);
        Assert.Equal("false_positive", latest["x/y/z"].Status);
        Assert.Equal("common text", latest["x/y/z"].Note);
        Assert.Equal("accepted_risk", latest["a/b/c"].Status);
    }

    [Fact]
    public void An_older_decision_written_later_does_not_override_a_newer_one()
    {
        IReadOnlyDictionary<string, TriageRecord> latest = TriageTable.Latest(
        [
            Decision("k", TriageStatus.Confirmed, "newer", Noon.AddHours(2)),
            Decision("k", TriageStatus.FalsePositive, "older, synced late", Noon),
        ]);

        Assert.Equal("newer", latest["k"].Note);
    }

    [Fact]
    public void A_cleared_mark_leaves_the_finding_untriaged_and_a_later_decision_counts_again()
    {
        Assert.False(TriageTable.Latest(
        [
            Decision("k", TriageStatus.Confirmed, "looked real", Noon),
            Decision("k", TriageStatus.Untriaged, "", Noon.AddHours(1)),
        ]).ContainsKey("k"));

        Assert.Equal("accepted_risk", TriageTable.Latest(
        [
            Decision("k", TriageStatus.Confirmed, "looked real", Noon),
            Decision("k", TriageStatus.Untriaged, "", Noon.AddHours(1)),
            Decision("k", TriageStatus.AcceptedRisk, "rotated", Noon.AddHours(2)),
        ])["k"].Status);
    }

    [Fact]
    public void The_finding_key_is_probe_subject_and_score_name()
    {
        var finding = new Finding
        {
            Probe = "exposure", Subject = "pin-1", Severity = Severity.High, Score = 19.9, ScoreName = "exposure_bits",
        };

        Assert.Equal("exposure/pin-1/exposure_bits", TriageRecord.KeyOf(finding));
    }

    [Fact]
    public void A_new_decision_names_the_current_user_and_status()
    {
        TriageRecord r = TriageRecord.Create("k", TriageStatus.AcceptedRisk, null);

        Assert.Equal(Environment.UserName, r.Analyst);
        Assert.Equal("accepted_risk", r.Status);
        Assert.Equal("", r.Note);
        Assert.Equal(DateTimeKind.Utc, r.UpdatedUtc.Kind);
    }

    [Fact]
    public async Task An_unknown_status_is_refused_on_write_and_reported_on_read()
    {
        using var dir = new TempFolder();
        string path = dir.File(TriageTable.FileName);
        var bad = new TriageRecord { FindingKey = "k", Status = "maybe", UpdatedUtc = Noon };

        await Assert.ThrowsAsync<ArgumentException>(() => TriageTable.WriteAsync(path, [bad], Ct));
        await ParquetTable<TriageRecord>.WriteAsync(path, [bad], Ct);
        var e = await Assert.ThrowsAsync<MemScanException>(() => TriageTable.ReadAsync(path, Ct));
        Assert.Contains("status 'maybe'", e.Message);
    }

    [Fact]
    public async Task A_corrupt_triage_file_fails_with_the_file_name()
    {
        using var dir = new TempFolder();
        string path = dir.File(TriageTable.FileName);
        await File.WriteAllTextAsync(path, "not parquet", Ct);

        var e = await Assert.ThrowsAsync<MemScanException>(() => TriageTable.ReadAsync(path, Ct));
        Assert.Contains(path, e.Message);
    }
}
