using MemScan.Scanner.Metrics;
using MemScan.Scanner.Probes.Membership;
using MemScan.Scanner.Results;
using Xunit;

namespace MemScan.Scanner.Tests.Membership;

public class MiaDocsTests
{
    static string Doc(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MemScan.sln")) && File.Exists(Path.Combine(dir.FullName, name)))
                return File.ReadAllText(Path.Combine(dir.FullName, name));
        Assert.Skip($"{name} not found above the test binaries");
        return "";
    }

    [Fact]
    public void Every_column_of_the_membership_inference_tables_is_documented()
    {
        string doc = Doc("docs/RESULTS.md");
        var columns = ParquetTable<MiaSummary>.ColumnNames.Concat(ParquetTable<RocRow>.ColumnNames)
            .Concat(ParquetTable<MiaScoreRow>.ColumnNames).Concat(ParquetTable<MiaSliceRow>.ColumnNames)
            .Concat(ParquetTable<TrainingUnitRow>.ColumnNames).Concat(ParquetTable<MembershipRow>.ColumnNames);
        Assert.All(columns, c => Assert.Contains($"| `{c}` |", doc));
    }

    [Fact]
    public void Every_attack_is_documented_in_the_readme()
    {
        string readme = Doc("README.md");
        var attacks = typeof(MiaAttacks).GetFields().Select(f => (string)f.GetValue(null)!);
        Assert.All(attacks, a => Assert.Contains($"| `{a}` |", readme));
    }
}
