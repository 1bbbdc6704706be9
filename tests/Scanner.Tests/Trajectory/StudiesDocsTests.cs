using MemScan.Scanner.Cli;
using MemScan.Scanner.Results;
using MemScan.Scanner.Similarity;
using MemScan.Scanner.Trajectory;
using Xunit;

namespace MemScan.Scanner.Tests.Trajectory;

/// <summary>docs/RESULTS.md describes every column the studies write; the README every option of their commands.</summary>
public class StudiesDocsTests
{
    static void AssertDocumented<T>() where T : class, IParquetRow, new()
    {
        string doc = RepoDocs.Read("docs/RESULTS.md");
        // "| `a` |" or "| `a`, `b` |": each column appears backquoted in a table row
        Assert.All(ParquetTable<T>.ColumnNames, c => Assert.True(doc.Contains($"| `{c}` |") || doc.Contains($"| `{c}`, ") || doc.Contains($", `{c}` |"), $"{T.TableName}: {c}"));
    }

    [Fact]
    public void Every_trajectory_table_column_is_documented()
    {
        AssertDocumented<TrajectoryRow>();
        AssertDocumented<ExampleOverTimeRow>();
        AssertDocumented<LearningEventRow>();
    }

    [Fact]
    public void Every_similarity_column_is_documented() => AssertDocumented<SimilarityRow>();

    [Theory]
    [InlineData("trajectory")]
    [InlineData("compare")]
    public void Every_option_of_the_study_commands_is_in_the_readme(string name)
    {
        var command = name == "trajectory" ? TrajectoryCommand.Create() : CompareCommand.Create();
        string readme = RepoDocs.Read("README.md");
        int start = readme.IndexOf($"### `memscan {name} ", StringComparison.Ordinal);
        Assert.True(start >= 0, $"README has no '### `memscan {name} ...' section");
        int end = readme.IndexOf("\n### ", start + 1, StringComparison.Ordinal);
        string section = readme[start..(end < 0 ? readme.Length : end)];
        var missing = command.Options.Where(o => o.Name.StartsWith("--") && o.Name != "--help")
            .Select(o => o.Name).Where(n => !section.Contains($"`{n}`") && !section.Contains($"`{n} ")).ToList();
        Assert.True(missing.Count == 0, $"README's {name} section lacks {string.Join(", ", missing)}");
    }
}
