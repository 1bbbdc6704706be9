using ScottPlot;

namespace MemScan.Scanner.Plots;

/// <summary>Draws one histogram series as touching bars (shared by the histogram plots).</summary>
internal static class HistogramChart
{
    public static void AddSeries(Plot plot, HistogramBins bins, double[] heights, Color color, string legend)
    {
        var bars = new List<Bar>(bins.Count);
        for (int b = 0; b < bins.Count; b++)
            bars.Add(new Bar
            {
                Position = bins.Center(b),
                Value = heights[b],
                Size = bins.Width,
                FillColor = color.WithAlpha(0.5),
                LineColor = color,
                LineWidth = 0.5f,
            });
        var series = plot.Add.Bars(bars);
        series.LegendText = legend;
    }
}
