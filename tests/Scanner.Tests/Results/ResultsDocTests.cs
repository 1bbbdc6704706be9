using Xunit;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Tests.Results;

public class ResultsDocTests
{
    private static string ReadDoc()
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
    public void Every_findings_column_is_documented()
    {
        string doc = ReadDoc();
        Assert.All(FindingsTable.ColumnNames, c => Assert.Contains($"| `{c}` |", doc));
    }

    [Fact]
    public void Every_exposure_column_is_documented()
    {
        string doc = ReadDoc();
        Assert.All(ExposureTable.ColumnNames, c => Assert.Contains($"| `{c}` |", doc));
    }

    [Fact]
    public void Every_run_json_field_is_documented()
    {
        string doc = ReadDoc();
        Assert.All(RunInfoFields.Required.Concat(RunInfoFields.Optional), c => Assert.Contains($"| `{c}` |", doc));
    }
}
