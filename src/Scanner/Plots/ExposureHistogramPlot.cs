using ScottPlot;

namespace MemScan.Scanner.Plots;

/// <summary>
/// Histogram of canary exposures in bits (Secret Sharer; see <c>exposure.parquet</c>), saved as PNG,
/// with a dashed line at the largest exposure the randomness space allows (log2|R|) when given.
/// Canaries piled up near that line are fully memorized.
/// </summary>
public static class ExposureHistogramPlot
{
    public const int DefaultBins = 30;

    public static void Save(string path, IReadOnlyList<double> exposureBits, double? maxExposureBits = null,
        int bins = DefaultBins, int width = PngFile.DefaultWidth, int height = PngFile.DefaultHeight)
    {
        using var plot = Build(exposureBits, maxExposureBits, bins);
        PngFile.Save(plot, path, width, height);
    }

    internal static Plot Build(IReadOnlyList<double> exposureBits, double? maxExposureBits, int binCount)
    {
        ArgumentNullException.ThrowIfNull(exposureBits);
        if (exposureBits.Count == 0) throw new MemScanException("an exposure histogram needs at least one canary, got none");
        var span = maxExposureBits is { } max && double.IsFinite(max) ? exposureBits.Append(0).Append(max) : exposureBits;
        var bins = HistogramBins.Spanning(span, binCount);
        var counts = bins.Tally(exposureBits).Select(c => (double)c).ToArray();
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        HistogramChart.AddSeries(plot, bins, counts, palette.GetColor(0), $"canaries ({exposureBits.Count})");
        if (maxExposureBits is { } limit && double.IsFinite(limit))
        {
            var line = plot.Add.VerticalLine(limit, 2, Colors.Red, LinePattern.Dashed);
            line.LegendText = $"max exposure log2|R| = {limit:0.#} bits";
        }
        plot.Axes.Margins(bottom: 0);
        plot.XLabel("Exposure (bits)");
        plot.YLabel("Canaries");
        plot.Title("Canary exposure");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }
}
