namespace MemScan.Scanner.Sweeps;

/// <summary>
/// A score samples are ranked by, with its direction: the order of Carlini et al. 2021's
/// membership signals, most likely memorized first (rank 1).
/// </summary>
public sealed record SweepMetric(string Name, bool LowerIsLikelier, Func<SweepSampleRow, double?> Value)
{
    public static SweepMetric LogPerplexity { get; } = new("log_perplexity", true, r => r.LogPerplexity);
    public static SweepMetric Zlib { get; } = new("zlib_ratio", true, r => r.ZlibRatio);
    public static SweepMetric Lowercase { get; } = new("lowercase_ratio", false, r => r.LowercaseRatio);
    public static SweepMetric Window { get; } = new("window_min_log_perplexity", true, r => r.WindowMinLogPerplexity);
    public static SweepMetric Reference { get; } = new("reference_ratio", true, r => r.ReferenceRatio);

    public static IReadOnlyList<SweepMetric> All { get; } = [LogPerplexity, Zlib, Lowercase, Window, Reference];

    /// <summary>
    /// 1-based ranks of the rows with a finite value (others get none), most likely memorized
    /// first; ties go to the lower sample index so ranks are reproducible.
    /// </summary>
    public Dictionary<long, int> Rank(IEnumerable<SweepSampleRow> rows)
    {
        var scored = rows.Select(r => (r.SampleIndex, Value: Value(r))).Where(x => x.Value is double v && double.IsFinite(v));
        var ordered = LowerIsLikelier
            ? scored.OrderBy(x => x.Value).ThenBy(x => x.SampleIndex)
            : scored.OrderByDescending(x => x.Value).ThenBy(x => x.SampleIndex);
        return ordered.Select((x, i) => (x.SampleIndex, Rank: i + 1)).ToDictionary(x => x.SampleIndex, x => x.Rank);
    }
}
