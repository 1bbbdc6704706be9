using MemScan.Scanner.Probes.Vision;
using MemScan.Scanner.Results;
using Xunit;

namespace MemScan.Scanner.Tests.Vision;

public class VisionResultsDocTests
{
    public static TheoryData<string, string[]> Tables => new()
    {
        { "examples", ParquetTable<ExampleRow>.ColumnNames.ToArray() },
        { "example_membership", ParquetTable<ExampleMembershipRow>.ColumnNames.ToArray() },
        { "mia_examples", ParquetTable<MiaExampleRow>.ColumnNames.ToArray() },
        { "audit", ParquetTable<AuditRow>.ColumnNames.ToArray() },
        { "memorization", ParquetTable<MemorizationRow>.ColumnNames.ToArray() },
        { "memorization_summary", ParquetTable<MemorizationSummaryRow>.ColumnNames.ToArray() },
        { "predictions", ParquetTable<PredictionRow>.ColumnNames.ToArray() },
    };

    [Theory]
    [MemberData(nameof(Tables))]
    public void Every_vision_table_column_is_documented(string table, string[] columns)
    {
        string doc = RepoDocs.Read("docs/RESULTS.md");
        Assert.Contains($"{table}.parquet", doc);
        Assert.All(columns, c => Assert.Contains($"`{c}`", doc));
    }
}
