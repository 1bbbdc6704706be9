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

    [Fact]
    public void Every_merge_json_field_and_the_sweep_options_for_clusters_are_documented()
    {
        string results = RepoDocs.Read("docs/RESULTS.md");
        var fields = typeof(MergeRecord).GetProperties().Concat(typeof(ShardGap).GetProperties())
            .Select(p => p.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonPropertyNameAttribute), false)
                .Cast<System.Text.Json.Serialization.JsonPropertyNameAttribute>().FirstOrDefault()?.Name)
            .OfType<string>().ToList();
        Assert.Equal(13, fields.Count);
        Assert.All(fields, f => Assert.Contains($"`{f}`", results));
        Assert.All(new[] { ShardGap.NotStarted, ShardGap.Running, ShardGap.Incomplete }, state => Assert.Contains($"`{state}`", results));

        string readme = RepoDocs.Read("README.md");
        Assert.All(new[] { "`--allow-partial`", "`memscan sweep compare A B`", "`--shards n`", "slurm-recipe: sweep.sbatch", "slurm-recipe: merge.sbatch", "build/publish.sh" },
            text => Assert.Contains(text, readme));
    }
}
