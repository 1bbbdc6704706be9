using System.Globalization;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Sweeps;

/// <summary>What <see cref="SweepCompare"/> found: rows on each side and the first differences.</summary>
public sealed record SweepComparison(int RowsA, int RowsB, IReadOnlyList<string> Differences)
{
    public bool Identical => Differences.Count == 0 && RowsA == RowsB;
}

/// <summary>
/// <c>memscan sweep compare A B</c>: are two sweep folders the same samples? Every column but
/// <c>shard</c> (which process wrote a row) and <c>created_utc</c> (when) is compared, doubles bit
/// for bit, so a sweep run as a Slurm array, resumed after kills, can be checked against an
/// unsharded run of the same settings.
/// </summary>
public static class SweepCompare
{
    const int MaxDifferences = 10;

    public static async Task<SweepComparison> RunAsync(string sweepA, string sweepB, CancellationToken ct = default)
    {
        var a = await ReadAsync(sweepA, ct).ConfigureAwait(false);
        var b = await ReadAsync(sweepB, ct).ConfigureAwait(false);
        var differences = new List<string>();
        var byIndex = b.ToDictionary(r => r.SampleIndex);
        foreach (var row in a)
        {
            if (differences.Count == MaxDifferences) break;
            if (!byIndex.Remove(row.SampleIndex, out var other))
                differences.Add(string.Create(CultureInfo.InvariantCulture, $"sample {row.SampleIndex}: only in {sweepA}"));
            else if (Content(row, withShard: false) != Content(other, withShard: false))
                differences.Add(string.Create(CultureInfo.InvariantCulture, $"sample {row.SampleIndex}: differs ({Content(row, false)} vs {Content(other, false)})"));
        }
        foreach (long index in byIndex.Keys.Order().Take(MaxDifferences - differences.Count))
            differences.Add(string.Create(CultureInfo.InvariantCulture, $"sample {index}: only in {sweepB}"));
        return new SweepComparison(a.Count, b.Count, differences);
    }

    /// <summary>Every column but created_utc (and shard unless asked), doubles as their bits, as one string.</summary>
    public static string Content(SweepSampleRow r, bool withShard = true) =>
        string.Join("|", r.SampleIndex, withShard ? r.Shard : -1, r.Prompt, r.Text, string.Join(",", r.Tokens),
            Bits(r.LogPerplexity), Bits(r.ZlibRatio), Bits(r.LowercaseRatio), Bits(r.WindowMinLogPerplexity),
            r.ReferenceRatio is double d ? Bits(d) : "null", r.Seed);

    static string Bits(double d) => BitConverter.DoubleToInt64Bits(d).ToString("x16", CultureInfo.InvariantCulture);

    static async Task<IReadOnlyList<SweepSampleRow>> ReadAsync(string dir, CancellationToken ct)
    {
        if (!Directory.Exists(dir)) throw new MemScanException($"sweep folder {dir} does not exist");
        var read = await HiveFolder.ReadAllAsync<SweepSampleRow>(dir, ct).ConfigureAwait(false);
        if (read.Skipped.Count > 0)
            throw new MemScanException($"{dir}: {read.Skipped.Count} part(s) cannot be read ({read.Skipped[0].Path}: {read.Skipped[0].Reason})");
        var rows = read.Rows.OrderBy(r => r.SampleIndex).ToList();
        for (int i = 1; i < rows.Count; i++)
            if (rows[i].SampleIndex == rows[i - 1].SampleIndex)
                throw new MemScanException(string.Create(CultureInfo.InvariantCulture, $"{dir}: sample {rows[i].SampleIndex} is written twice"));
        return rows;
    }
}
