namespace MemScan.Tui.Plots;

/// <summary>Equal-width bins over a range; values outside it are clamped into the end bins.</summary>
internal sealed record Bins(double Min, double Max, int[] Counts)
{
    public double Width => (Max - Min) / Counts.Length;

    /// <summary>
    /// Bins the finite values (NaN and infinities are skipped: a probe that could not compute a score
    /// must not stretch the axis). A single distinct value gets a unit-wide range around it.
    /// </summary>
    public static Bins Of(IEnumerable<double> values, int count, double? min = null, double? max = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        double[] finite = values.Where(double.IsFinite).ToArray();
        double lo = min ?? (finite.Length == 0 ? 0 : finite.Min());
        double hi = max ?? (finite.Length == 0 ? 1 : finite.Max());
        if (hi <= lo)
        {
            lo -= 0.5;
            hi = lo + 1;
        }
        var counts = new int[count];
        foreach (double v in finite)
            counts[IndexOf(v, lo, hi, count)]++;
        return new Bins(lo, hi, counts);
    }

    public static int IndexOf(double value, double min, double max, int count) =>
        Math.Clamp((int)Math.Floor((value - min) / (max - min) * count), 0, count - 1);
}
