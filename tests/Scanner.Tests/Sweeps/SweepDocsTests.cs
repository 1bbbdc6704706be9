using MemScan.Scanner.Results;
using MemScan.Scanner.Sweeps;
using Xunit;

namespace MemScan.Scanner.Tests.Sweeps;

public class SweepDocsTests
{
    [Fact]
    public void Every_column_of_the_sweep_tables_is_documented()
    {
        string doc = RepoDocs.Read("docs/RESULTS.md");
        // top-level fields: a list column's data field is called 'element'
        var columns = ParquetTable<SweepSampleRow>.Schema.Fields
            .Concat(ParquetTable<RankedSampleRow>.Schema.Fields)
            .Concat(ParquetTable<PrecisionRow>.Schema.Fields)
            .Select(f => f.Name).Distinct();
        Assert.All(columns, c => Assert.Contains($"`{c}`", doc));
    }

    [Fact]
    public void Every_sweep_json_setting_is_documented()
    {
        string doc = RepoDocs.Read("docs/RESULTS.md");
        Assert.All(new SweepSettings().ToFields().Keys, k => Assert.Contains($"`{k}`", doc));
    }
}
