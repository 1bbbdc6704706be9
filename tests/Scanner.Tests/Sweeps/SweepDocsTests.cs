using MemScan.Scanner.Results;
using MemScan.Scanner.Sweeps;
using Xunit;

namespace MemScan.Scanner.Tests.Sweeps;

public class SweepDocsTests
{
    static string ReadDoc()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string doc = Path.Combine(dir.FullName, "docs", "RESULTS.md");
            if (File.Exists(Path.Combine(dir.FullName, "MemScan.sln")) && File.Exists(doc))
                return File.ReadAllText(doc);
        }
        Assert.Skip("docs/RESULTS.md not found above the test binaries");
        return "";
    }

    [Fact]
    public void Every_column_of_the_sweep_tables_is_documented()
    {
        string doc = ReadDoc();
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
        string doc = ReadDoc();
        Assert.All(new SweepSettings().ToFields().Keys, k => Assert.Contains($"`{k}`", doc));
    }
}
