using MemScan.Scanner.Metrics;
using MemScan.Scanner.Probes.Membership;
using MemScan.Scanner.Results;
using Xunit;

namespace MemScan.Scanner.Tests.Membership;

public class MiaDocsTests
{
    [Fact]
    public void Every_column_of_the_membership_inference_tables_is_documented()
    {
        string doc = RepoDocs.Read("docs/RESULTS.md");
        var columns = ParquetTable<MiaSummary>.ColumnNames.Concat(ParquetTable<RocRow>.ColumnNames)
            .Concat(ParquetTable<MiaScoreRow>.ColumnNames).Concat(ParquetTable<MiaSliceRow>.ColumnNames)
            .Concat(ParquetTable<TrainingUnitRow>.ColumnNames).Concat(ParquetTable<MembershipRow>.ColumnNames);
        Assert.All(columns, c => Assert.Contains($"| `{c}` |", doc));
    }

    [Fact]
    public void Every_attack_is_documented_in_the_readme()
    {
        string readme = RepoDocs.Read("README.md");
        var attacks = typeof(MiaAttacks).GetFields().Select(f => (string)f.GetValue(null)!);
        Assert.All(attacks, a => Assert.Contains($"| `{a}` |", readme));
    }
}
