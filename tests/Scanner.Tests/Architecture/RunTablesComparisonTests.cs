using MemScan.Scanner.Results;
using Xunit;

namespace MemScan.Scanner.Tests.Architecture;

/// <summary>
/// "Not a behaviour change": the run folders of the same scans made by two builds hold the same
/// tables, row for row, except timings. Skipped unless MEMSCAN_COMPARE_BEFORE and
/// MEMSCAN_COMPARE_AFTER name two folders of run folders; tests/compare-scan-tables.sh makes them
/// (it scans fixed models with the baseline build and with this tree) and runs this test.
/// </summary>
public sealed class RunTablesComparisonTests
{
    [Fact]
    public async Task Two_builds_write_the_same_tables_for_the_same_scans()
    {
        string? before = Environment.GetEnvironmentVariable("MEMSCAN_COMPARE_BEFORE");
        string? after = Environment.GetEnvironmentVariable("MEMSCAN_COMPARE_AFTER");
        if (before is null || after is null)
            Assert.Skip("set MEMSCAN_COMPARE_BEFORE and MEMSCAN_COMPARE_AFTER (tests/compare-scan-tables.sh)");
        var runs = Directory.GetDirectories(before).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(runs);
        Assert.Equal(runs, Directory.GetDirectories(after).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray());
        var differences = new List<string>();
        foreach (string? run in runs)
        {
            var expected = await RunTables.ReadAsync(Path.Combine(before, run!));
            var actual = await RunTables.ReadAsync(Path.Combine(after, run!));
            if (!expected.Keys.SequenceEqual(actual.Keys))
                differences.Add($"{run}: files {string.Join(",", expected.Keys)} before, {string.Join(",", actual.Keys)} after");
            foreach (var (file, lines) in expected)
            {
                if (!actual.TryGetValue(file, out var other)) continue;
                int firstDifference = Enumerable.Range(0, Math.Max(lines.Count, other.Count))
                    .FirstOrDefault(i => i >= lines.Count || i >= other.Count || lines[i] != other[i], -1);
                if (firstDifference >= 0)
                    differences.Add($"{run}/{file} line {firstDifference}: before '{(firstDifference < lines.Count ? lines[firstDifference] : "(none)")}', after '{(firstDifference < other.Count ? other[firstDifference] : "(none)")}'");
            }
        }
        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    [Fact]
    public async Task A_changed_value_is_a_difference()
    {
        // the comparison must be able to fail: the same table written with one value changed
        string folder = Directory.CreateTempSubdirectory("memscan-compare-").FullName;
        try
        {
            var rows = new[] { new FindingRow { Probe = "exposure", Subject = "a", Score = 1.5, ScoreName = "bits", Severity = "info", CreatedUtc = DateTime.UtcNow } };
            Directory.CreateDirectory(Path.Combine(folder, "a"));
            Directory.CreateDirectory(Path.Combine(folder, "b"));
            await ParquetTable<FindingRow>.WriteAsync(Path.Combine(folder, "a", "findings.parquet"), rows);
            rows[0].Score = 1.5000000000000002;
            await ParquetTable<FindingRow>.WriteAsync(Path.Combine(folder, "b", "findings.parquet"), rows);
            var a = await RunTables.ReadAsync(Path.Combine(folder, "a"));
            var b = await RunTables.ReadAsync(Path.Combine(folder, "b"));
            var before = a["findings.parquet"];
            var after = b["findings.parquet"];
            Assert.Equal(before.Count, after.Count);
            var changed = Enumerable.Range(0, before.Count).Where(i => before[i] != after[i]).Select(i => after[i]).ToArray();
            Assert.Equal("group 0 score[0] = 1.5000000000000002", Assert.Single(changed));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
