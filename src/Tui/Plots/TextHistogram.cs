using System.Globalization;
using System.Text;

namespace MemScan.Tui.Plots;

/// <summary>
/// A vertical-bar histogram drawn with characters, one column per bin. Pure: values in, lines out,
/// so it is tested without a terminal and reused for exposure bits and any numeric column.
/// </summary>
internal static class TextHistogram
{
    public const char Bar = '#';

    /// <param name="width">Total columns available, axis labels included (at least 12).</param>
    /// <param name="height">Rows for the bars (at least 2); the title and the x axis add 3 lines.</param>
    /// <param name="min">Left end of the x axis; the smallest value when null.</param>
    /// <param name="max">Right end of the x axis (e.g. log2|R| for exposure); the largest value when null.</param>
    public static IReadOnlyList<string> Render(IReadOnlyList<double> values, int width, int height, string title,
        string unit = "", double? min = null, double? max = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        width = Math.Max(width, 12);
        height = Math.Max(height, 2);
        int skipped = values.Count(v => !double.IsFinite(v));
        int n = values.Count - skipped;
        var lines = new List<string>
        {
            $"{title} (n={n.ToString("N0", CultureInfo.InvariantCulture)}" + (skipped > 0 ? $", {skipped} not a number" : "") + ")",
        };
        if (n == 0)
        {
            lines.Add("  (no data)");
            return lines;
        }
        int peakLabel = values.Count.ToString(CultureInfo.InvariantCulture).Length;
        int plotWidth = width - peakLabel - 2;
        // about 2·sqrt(n) bins (at least 5): a handful of canaries should not become a comb of
        // one-column bars; each bin is drawn as a block of equal columns
        int binCount = Math.Clamp((int)Math.Ceiling(2 * Math.Sqrt(n)), 5, plotWidth);
        int columnsPerBin = plotWidth / binCount;
        plotWidth = columnsPerBin * binCount;
        Bins bins = Bins.Of(values, binCount, min, max);
        int peak = bins.Counts.Max();
        int[] heights = bins.Counts
            .Select(c => c == 0 ? 0 : Math.Max(1, (int)Math.Round((double)c / peak * height)))
            .SelectMany(h => Enumerable.Repeat(h, columnsPerBin).Select((x, i) => columnsPerBin > 2 && i == columnsPerBin - 1 ? 0 : x))
            .ToArray();
        for (int level = height; level >= 1; level--)
        {
            string label = level == height ? peak.ToString(CultureInfo.InvariantCulture) : "";
            var row = new StringBuilder(label.PadLeft(peakLabel)).Append(" |");
            foreach (int h in heights)
                row.Append(h >= level ? Bar : ' ');
            lines.Add(row.ToString().TrimEnd());
        }
        lines.Add("0".PadLeft(peakLabel) + " +" + new string('-', plotWidth));
        string left = Format(bins.Min), right = Format(bins.Max) + (unit.Length > 0 ? " " + unit : "");
        int gap = Math.Max(1, plotWidth - left.Length - right.Length);
        lines.Add(new string(' ', peakLabel + 2) + left + new string(' ', gap) + right);
        return lines;
    }

    internal static string Format(double v) =>
        Math.Abs(v) >= 1000 ? v.ToString("0.#e0", CultureInfo.InvariantCulture) : v.ToString("0.##", CultureInfo.InvariantCulture);
}
