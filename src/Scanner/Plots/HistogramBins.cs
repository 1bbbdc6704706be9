namespace MemScan.Scanner.Plots;

/// <summary>
/// Equal-width bins over [min, max] of some values, shared between the series of one histogram so
/// that member and non-member bars line up. A value equal to max falls in the last bin; values
/// outside [min, max] and non-finite values are not counted.
/// </summary>
public sealed class HistogramBins
{
    HistogramBins(double min, double width, int count) => (Min, Width, Count) = (min, width, count);

    public double Min { get; }
    public double Width { get; }
    public int Count { get; }
    public double Max => Min + Width * Count;

    /// <summary>Centre of bin <paramref name="bin"/>.</summary>
    public double Center(int bin) => Min + Width * (bin + 0.5);

    /// <summary><paramref name="count"/> bins spanning the finite values (a unit-wide span when they are all equal).</summary>
    public static HistogramBins Spanning(IEnumerable<double> values, int count)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (count < 1) throw new MemScanException($"a histogram needs at least 1 bin, got {count}");
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double v in values)
        {
            if (!double.IsFinite(v)) continue;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        if (min > max) throw new MemScanException("a histogram needs at least one finite value, got none");
        if (max == min) (min, max) = (min - 0.5, max + 0.5);
        return new HistogramBins(min, (max - min) / count, count);
    }

    /// <summary>How many of <paramref name="values"/> fall in each bin.</summary>
    public int[] Tally(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var counts = new int[Count];
        foreach (double v in values)
        {
            if (!double.IsFinite(v) || v < Min || v > Max) continue;
            int bin = Math.Min(Count - 1, (int)((v - Min) / Width));
            counts[bin]++;
        }
        return counts;
    }
}
