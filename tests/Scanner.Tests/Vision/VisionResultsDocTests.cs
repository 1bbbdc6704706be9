using MemScan.Scanner.Probes.Vision;
using MemScan.Scanner.Results;
using Xunit;

namespace MemScan.Scanner.Tests.Vision;

public class VisionResultsDocTests
{
    static string Doc()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MemScan.sln")))
                return File.ReadAllText(Path.Combine(dir.FullName, "docs", "RESULTS.md"));
        Assert.Skip("docs/RESULTS.md not found above the test binaries");
        return "";
    }

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
        string doc = Doc();
        Assert.Contains($"{table}.parquet", doc);
        Assert.All(columns, c => Assert.Contains($"`{c}`", doc));
    }
}
