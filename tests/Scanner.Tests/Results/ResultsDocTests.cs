using Xunit;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Tests.Results;

public class ResultsDocTests
{
    [Fact]
    public void Every_findings_column_is_documented()
    {
        string doc = RepoDocs.Read("docs/RESULTS.md");
        Assert.All(FindingsTable.ColumnNames, c => Assert.Contains($"| `{c}` |", doc));
    }

    [Fact]
    public void Every_exposure_column_is_documented()
    {
        string doc = RepoDocs.Read("docs/RESULTS.md");
        Assert.All(ExposureTable.ColumnNames, c => Assert.Contains($"| `{c}` |", doc));
    }

    [Fact]
    public void Every_run_json_field_is_documented()
    {
        string doc = RepoDocs.Read("docs/RESULTS.md");
        Assert.All(RunInfoFields.Required.Concat(RunInfoFields.Optional), c => Assert.Contains($"| `{c}` |", doc));
    }
}
