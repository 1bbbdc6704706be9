using MemScan.Scanner.Plots;
using ScottPlot;

namespace MemScan.Scanner.Similarity;

/// <summary>
/// Heatmap of CKA between every layer of one model (columns) and every layer of another (rows),
/// the figure of Kornblith et al. 2019: a bright diagonal means the two networks learned alike.
/// </summary>
public static class SimilarityPlot
{
    public static void Save(string path, string modelA, string modelB, IReadOnlyList<SimilarityRow> rows)
    {
        int na = rows.Max(r => r.LayerIndexA) + 1, nb = rows.Max(r => r.LayerIndexB) + 1;
        var values = new double[nb, na];
        foreach (var r in rows) values[nb - 1 - r.LayerIndexB, r.LayerIndexA] = r.Cka; // first layer of B at the bottom
        using var plot = new Plot();
        var map = plot.Add.Heatmap(values);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        map.ManualRange = new ScottPlot.Range(0, 1);
        plot.Add.ColorBar(map).Label = "linear CKA";
        for (int a = 0; a < na; a++)
            for (int b = 0; b < nb; b++)
            {
                var text = plot.Add.Text(values[nb - 1 - b, a].ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), a, b);
                text.LabelFontColor = values[nb - 1 - b, a] > 0.6 ? Colors.Black : Colors.White;
                text.LabelAlignment = Alignment.MiddleCenter;
            }
        var layersA = rows.Where(r => r.LayerIndexB == 0).OrderBy(r => r.LayerIndexA).Select(r => r.LayerA).ToArray();
        var layersB = rows.Where(r => r.LayerIndexA == 0).OrderBy(r => r.LayerIndexB).Select(r => r.LayerB).ToArray();
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, na).Select(i => (double)i).ToArray(), layersA);
        plot.Axes.Left.SetTicks(Enumerable.Range(0, nb).Select(i => (double)i).ToArray(), layersB);
        plot.XLabel($"{modelA} layer");
        plot.YLabel($"{modelB} layer");
        plot.Title($"Linear CKA: {modelA} vs {modelB}");
        PngFile.Save(plot, path, PngFile.DefaultWidth, PngFile.DefaultHeight);
    }
}
