using Xunit;
using MemScan.Scanner.Results;
using Parquet;

namespace MemScan.Scanner.Tests.Results;

public class FindingsTableTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static readonly string[] DocumentedColumns =
    [
        "probe", "subject", "severity", "severity_rank", "score", "score_name", "max_score",
        "evidence", "secret", "rank", "queries", "created_utc",
    ];

    private static readonly DateTime Created = new(2026, 11, 25, 19, 33, 0, 123, 456, DateTimeKind.Utc);

    internal static Finding[] SampleFindings() =>
    [
        new Finding
        {
            Probe = "exposure", Subject = "canary-pin-1", Severity = Severity.Critical,
            Score = 19.93, ScoreName = "exposure_bits", MaxScore = 19.93,
            Evidence = "rank 1 of 1,000,000 candidates (exact)", Secret = "281430",
            Rank = 1, Queries = 1_000_000, CreatedUtc = Created,
        },
        new Finding
        {
            Probe = "mia", Subject = "model", Severity = Severity.Low,
            Score = 0.012, ScoreName = "tpr_at_1pct_fpr", CreatedUtc = Created.AddSeconds(5),
        },
        new Finding
        {
            Probe = "extraction", Subject = "canary-ssn-2", Severity = Severity.High,
            Score = double.NaN, ScoreName = "queries_ratio", MaxScore = null, Evidence = "näive ✓ unicode",
            Secret = null, Rank = 42, Queries = null, CreatedUtc = Created,
        },
    ];

    [Fact]
    public async Task Findings_round_trip_with_equal_values_most_severe_first()
    {
        using var dir = new TempFolder();
        string path = dir.File(FindingsTable.FileName);
        Finding[] findings = SampleFindings();

        await FindingsTable.WriteAsync(path, findings, Ct);
        IReadOnlyList<Finding> back = await FindingsTable.ReadAsync(path, Ct);

        Assert.Equal(findings.OrderByDescending(f => f.Severity), back);
        Assert.All(back, f => Assert.Equal(DateTimeKind.Utc, f.CreatedUtc.Kind));
        Assert.Equal([FindingsTable.FileName], dir.AllFiles());
    }

    [Fact]
    public async Task The_file_has_the_documented_columns_in_order()
    {
        using var dir = new TempFolder();
        string path = dir.File(FindingsTable.FileName);

        await FindingsTable.WriteAsync(path, SampleFindings(), Ct);

        await using ParquetReader reader = await ParquetReader.CreateAsync(path, cancellationToken: Ct);
        Assert.Equal(DocumentedColumns, reader.Schema.DataFields.Select(f => f.Name));
        Assert.Equal(DocumentedColumns, FindingsTable.ColumnNames);
        Assert.Equal("findings", reader.CustomMetadata["memscan.table"]);
    }

    [Fact]
    public async Task Severity_is_stored_as_its_name_and_its_rank()
    {
        using var dir = new TempFolder();
        string path = dir.File(FindingsTable.FileName);

        await FindingsTable.WriteAsync(path, SampleFindings(), Ct);

        var raw = await Parquet.Serialization.ParquetSerializer.DeserializeUntypedAsync(File.OpenRead(path), cancellationToken: Ct);
        Assert.Equal(["critical", "high", "low"], raw.Data.Select(r => r["severity"]?.ToString()));
        Assert.Equal([4, 3, 1], raw.Data.Select(r => Convert.ToInt32(r["severity_rank"])));
    }

    [Fact]
    public async Task An_empty_findings_table_round_trips()
    {
        using var dir = new TempFolder();
        string path = dir.File(FindingsTable.FileName);

        await FindingsTable.WriteAsync(path, [], Ct);

        Assert.Empty(await FindingsTable.ReadAsync(path, Ct));
    }

    [Fact]
    public async Task The_findings_file_is_owner_only()
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("Unix file modes");
        using var dir = new TempFolder();
        string path = dir.File(FindingsTable.FileName);

        await FindingsTable.WriteAsync(path, SampleFindings(), Ct);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, UnixModes.Of(path));
    }

    [Fact]
    public async Task A_finding_without_a_probe_is_refused_and_nothing_is_written()
    {
        using var dir = new TempFolder();
        string path = dir.File(FindingsTable.FileName);
        Finding bad = SampleFindings()[0] with { Probe = "" };

        await Assert.ThrowsAsync<ArgumentException>(() => FindingsTable.WriteAsync(path, [bad], Ct));

        Assert.Empty(dir.AllFiles());
    }
}
