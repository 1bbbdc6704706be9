using System.Globalization;
using System.Text;
using MemScan.Tui.Data;

namespace MemScan.Tui.Plots;

/// <summary>
/// Curves over training steps as text: one marker per curve at each of its points on a grid of
/// <c>height</c> rows, the y axis labelled at top and bottom, the x axis at its ends, and a legend.
/// Where two curves meet the later one's marker is drawn, so the legend lists curves in drawing order.
/// </summary>
internal static class TextLineChart
{
    public const string Markers = "*o+x#@%&=~";

    /// <param name="width">Total columns (at least 30).</param>
    /// <param name="height">Rows of the plotting grid (at least 3).</param>
    public static IReadOnlyList<string> Render(IReadOnlyList<Curve> curves, int width, int height, string title, string xLabel,
        double? yMin = null, double? yMax = null)
    {
        ArgumentNullException.ThrowIfNull(curves);
        width = Math.Max(width, 30);
        height = Math.Max(height, 3);
        var lines = new List<string> { title };
        var points = curves.SelectMany(c => c.Points).Where(p => double.IsFinite(p.Step) && double.IsFinite(p.Value)).ToList();
        if (points.Count == 0)
        {
            lines.Add("  (no data)");
            return lines;
        }
        double x0 = points.Min(p => p.Step), x1 = points.Max(p => p.Step);
        double y0 = Math.Min(yMin ?? points.Min(p => p.Value), points.Min(p => p.Value));
        double y1 = Math.Max(yMax ?? points.Max(p => p.Value), points.Max(p => p.Value));
        if (y1 <= y0) y1 = y0 + 1;
        const int labelWidth = 8;
        int columns = width - labelWidth - 2;
        var grid = Enumerable.Range(0, height).Select(_ => Enumerable.Repeat(' ', columns).ToArray()).ToArray();
        for (int c = 0; c < curves.Count; c++)
        {
            char marker = Markers[c % Markers.Length];
            foreach (var p in curves[c].Points.Where(p => double.IsFinite(p.Step) && double.IsFinite(p.Value)))
            {
                int col = x1 > x0 ? (int)Math.Round((p.Step - x0) / (x1 - x0) * (columns - 1)) : 0;
                int row = (int)Math.Round((y1 - p.Value) / (y1 - y0) * (height - 1));
                grid[row][col] = marker;
            }
        }
        for (int r = 0; r < height; r++)
        {
            string label = r == 0 ? TextHistogram.Format(y1) : r == height - 1 ? TextHistogram.Format(y0) : "";
            lines.Add(label.PadLeft(labelWidth) + " |" + new string(grid[r]).TrimEnd());
        }
        lines.Add(new string(' ', labelWidth) + " +" + new string('-', columns));
        string left = x0.ToString("0.###", CultureInfo.InvariantCulture), right = x1.ToString("0.###", CultureInfo.InvariantCulture);
        lines.Add(new string(' ', labelWidth + 2) + left + right.PadLeft(Math.Max(1, columns - left.Length)) + " " + xLabel);
        var legend = new StringBuilder("  ");
        for (int c = 0; c < curves.Count; c++)
            legend.Append(Markers[c % Markers.Length]).Append(' ').Append(curves[c].Label).Append("   ");
        lines.Add(legend.ToString().TrimEnd());
        return lines;
    }
}
