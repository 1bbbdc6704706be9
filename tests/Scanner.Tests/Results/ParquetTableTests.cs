using Xunit;
using System.Text.Json.Serialization;
using MemScan.Scanner.Results;
using Parquet.Serialization;

namespace MemScan.Scanner.Tests.Results;

public class ParquetTableTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>What a later probe would add: its own row type and nothing else.</summary>
    internal sealed record MiaScore : IParquetRow
    {
        public static string TableName => "mia";
        [JsonPropertyName("sample_id")] public string SampleId { get; init; } = "";
        [JsonPropertyName("member")] public bool Member { get; init; }
        [JsonPropertyName("loss")] public double Loss { get; init; }
        [JsonPropertyName("min_k_prob")] public double? MinKProb { get; init; }
    }

    /// <summary>A findings-like file written by something else, without a severity column.</summary>
    private sealed class NoSeverity
    {
        [JsonPropertyName("probe")] public string Probe { get; set; } = "";
        [JsonPropertyName("subject")] public string Subject { get; set; } = "";
    }

    /// <summary>score as text instead of a double.</summary>
    private sealed class TextScore
    {
        [JsonPropertyName("probe")] public string Probe { get; set; } = "x";
        [JsonPropertyName("subject")] public string Subject { get; set; } = "y";
        [JsonPropertyName("severity")] public string Severity { get; set; } = "low";
        [JsonPropertyName("severity_rank")] public int SeverityRank { get; set; } = 1;
        [JsonPropertyName("score")] public string Score { get; set; } = "high";
    }

    /// <summary>loss as a nullable double where MemScan expects one in every row.</summary>
    private sealed class NullableLoss
    {
        [JsonPropertyName("sample_id")] public string SampleId { get; set; } = "s";
        [JsonPropertyName("member")] public bool Member { get; set; }
        [JsonPropertyName("loss")] public double? Loss { get; set; }
        [JsonPropertyName("min_k_prob")] public double? MinKProb { get; set; }
    }

    [Fact]
    public async Task A_probe_table_round_trips_through_its_row_type_alone()
    {
        using var dir = new TempFolder();
        string path = dir.File("mia.parquet");
        MiaScore[] rows =
        [
            new() { SampleId = "a", Member = true, Loss = 0.5, MinKProb = -3.5 },
            new() { SampleId = "b", Member = false, Loss = 2.25, MinKProb = null },
        ];

        await ParquetTable<MiaScore>.WriteAsync(path, rows, Ct);

        Assert.Equal(rows, await ParquetTable<MiaScore>.ReadAsync(path, Ct));
        Assert.Equal(["sample_id", "member", "loss", "min_k_prob"], ParquetTable<MiaScore>.ColumnNames);
    }

    [Fact]
    public async Task A_truncated_file_is_reported_as_corrupt_with_its_name()
    {
        using var dir = new TempFolder();
        string path = dir.File(FindingsTable.FileName);
        await FindingsTable.WriteAsync(path, FindingsTableTests.SampleFindings(), Ct);
        byte[] bytes = await File.ReadAllBytesAsync(path, Ct);
        await File.WriteAllBytesAsync(path, bytes[..(bytes.Length / 2)], Ct);

        var e = await Assert.ThrowsAsync<MemScanException>(() => FindingsTable.ReadAsync(path, Ct));

        Assert.Contains("findings.parquet is corrupt", e.Message);
    }

    [Fact]
    public async Task A_file_that_is_not_parquet_at_all_is_reported_as_corrupt_with_its_name()
    {
        using var dir = new TempFolder();
        string path = dir.File(ExposureTable.FileName);
        await File.WriteAllTextAsync(path, "this is not parquet", Ct);

        var e = await Assert.ThrowsAsync<MemScanException>(() => ExposureTable.ReadAsync(path, Ct));

        Assert.Contains("exposure.parquet is corrupt", e.Message);
    }

    [Fact]
    public async Task A_file_with_a_damaged_footer_is_reported_as_corrupt()
    {
        using var dir = new TempFolder();
        string path = dir.File(FindingsTable.FileName);
        await FindingsTable.WriteAsync(path, FindingsTableTests.SampleFindings(), Ct);
        byte[] bytes = await File.ReadAllBytesAsync(path, Ct);
        for (int i = 4; i < bytes.Length - 8; i++)
            bytes[i] = 0xAB;
        await File.WriteAllBytesAsync(path, bytes, Ct);

        var e = await Assert.ThrowsAsync<MemScanException>(() => FindingsTable.ReadAsync(path, Ct));

        Assert.Contains("findings.parquet is corrupt", e.Message);
    }

    [Fact]
    public async Task A_file_missing_a_column_names_the_missing_column()
    {
        using var dir = new TempFolder();
        string path = dir.File(FindingsTable.FileName);
        await ParquetSerializer.SerializeAsync(new[] { new NoSeverity() }, path, cancellationToken: Ct);

        var e = await Assert.ThrowsAsync<MemScanException>(() => FindingsTable.ReadAsync(path, Ct));

        Assert.Equal($"{path} is not a MemScan findings table: missing column 'severity'", e.Message);
    }

    [Fact]
    public async Task A_column_of_the_wrong_type_names_both_types()
    {
        using var dir = new TempFolder();
        string path = dir.File(FindingsTable.FileName);
        await ParquetSerializer.SerializeAsync(new[] { new TextScore() }, path, cancellationToken: Ct);

        var e = await Assert.ThrowsAsync<MemScanException>(() => FindingsTable.ReadAsync(path, Ct));

        Assert.Equal($"{path} is not a MemScan findings table: column 'score' is string, expected double", e.Message);
    }

    [Fact]
    public async Task A_nullable_column_where_every_row_needs_a_value_is_refused()
    {
        using var dir = new TempFolder();
        string path = dir.File("mia.parquet");
        await ParquetSerializer.SerializeAsync(new[] { new NullableLoss() }, path, cancellationToken: Ct);

        var e = await Assert.ThrowsAsync<MemScanException>(() => ParquetTable<MiaScore>.ReadAsync(path, Ct));

        Assert.Contains("column 'loss' is nullable double, expected non-null double", e.Message);
    }

    [Fact]
    public async Task Another_tables_file_says_which_table_it_holds()
    {
        using var dir = new TempFolder();
        string path = dir.File(FindingsTable.FileName);
        await ExposureTable.WriteAsync(path, ExposureTableTests.SampleRows(), Ct);

        var e = await Assert.ThrowsAsync<MemScanException>(() => FindingsTable.ReadAsync(path, Ct));

        Assert.Equal($"{path} is not a MemScan findings table: it holds the 'exposure' table", e.Message);
    }

    [Fact]
    public async Task A_missing_file_is_a_user_error_naming_the_path()
    {
        using var dir = new TempFolder();
        string path = dir.File(FindingsTable.FileName);

        var e = await Assert.ThrowsAsync<MemScanException>(() => FindingsTable.ReadAsync(path, Ct));

        Assert.Contains(path, e.Message);
    }

    [Fact]
    public async Task Validating_a_good_file_reads_only_its_schema_and_passes()
    {
        using var dir = new TempFolder();
        string path = dir.File("mia.parquet");
        await ParquetTable<MiaScore>.WriteAsync(path, [new MiaScore { SampleId = "a" }], Ct);

        await ParquetTable<MiaScore>.ValidateAsync(path, Ct);
    }
}
