using System.Globalization;
using MemScan.Tui.Data;

namespace MemScan.Tui.Plots;

/// <summary>
/// A ROC curve drawn with characters: '*' for the curve, '.' for the chance diagonal, with the AUC
/// and the TPR at 1% FPR (the numbers a membership-inference finding is judged by) in the title.
/// </summary>
internal static class TextRocChart
{
    public const char Curve = '*';
    public const char Chance = '.';

    /// <param name="width">Total columns, labels included (at least 16).</param>
    /// <param name="height">Rows of the plot area (at least 4).</param>
    public static IReadOnlyList<string> Render(IReadOnlyList<RocPoint> points, int width, int height, string title = "ROC")
    {
        ArgumentNullException.ThrowIfNull(points);
        width = Math.Max(width, 16);
        height = Math.Max(height, 4);
        RocPoint[] curve = Normalize(points);
        if (curve.Length == 2 && points.Count == 0)
            return [title, "  (no data)"];
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"{title}: AUC {Auc(curve):0.000}, TPR {TprAt(curve, 0.01):0.000} at 1% FPR"),
        };
        const string yTop = "1.0 |", yBottom = "0.0 |", yBlank = "    |";
        int cols = width - yTop.Length;
        var grid = new char[height, cols];
        for (int r = 0; r < height; r++)
            for (int c = 0; c < cols; c++)
                grid[r, c] = ' ';
        int Row(double tpr) => (int)Math.Round((1 - Math.Clamp(tpr, 0, 1)) * (height - 1));
        for (int c = 0; c < cols; c++)
            grid[Row((double)c / (cols - 1)), c] = Chance;
        int? previous = null;
        for (int c = 0; c < cols; c++)
        {
            int row = Row(TprAt(curve, (double)c / (cols - 1)));
            // fill the vertical jump from the previous column so steep curves stay connected
            int from = previous is { } p ? Math.Min(p, row) : row, to = previous is { } q ? Math.Max(q, row) : row;
            for (int r = from; r <= to; r++)
                grid[r, c] = Curve;
            previous = row;
        }
        for (int r = 0; r < height; r++)
        {
            string label = r == 0 ? yTop : r == height - 1 ? yBottom : yBlank;
            var chars = new char[cols];
            for (int c = 0; c < cols; c++)
                chars[c] = grid[r, c];
            lines.Add((label + new string(chars)).TrimEnd());
        }
        lines.Add("    +" + new string('-', cols));
        const string xLeft = "0", xRight = "1 FPR";
        lines.Add("     " + xLeft + new string(' ', Math.Max(1, cols - xLeft.Length - xRight.Length)) + xRight);
        return lines;
    }

    /// <summary>Area under the curve by the trapezoid rule, from (0,0) to (1,1).</summary>
    public static double Auc(IReadOnlyList<RocPoint> points)
    {
        RocPoint[] curve = Normalize(points);
        double area = 0;
        for (int i = 1; i < curve.Length; i++)
            area += (curve[i].Fpr - curve[i - 1].Fpr) * (curve[i].Tpr + curve[i - 1].Tpr) / 2;
        return area;
    }

    /// <summary>The curve's TPR at <paramref name="fpr"/>, linearly interpolated (the highest TPR at a repeated FPR).</summary>
    public static double TprAt(IReadOnlyList<RocPoint> points, double fpr)
    {
        RocPoint[] curve = Normalize(points);
        double best = 0;
        for (int i = 0; i < curve.Length; i++)
        {
            if (curve[i].Fpr <= fpr)
                best = Math.Max(best, curve[i].Tpr);
            if (i > 0 && curve[i - 1].Fpr < fpr && curve[i].Fpr > fpr)
            {
                double t = (fpr - curve[i - 1].Fpr) / (curve[i].Fpr - curve[i - 1].Fpr);
                best = Math.Max(best, curve[i - 1].Tpr + t * (curve[i].Tpr - curve[i - 1].Tpr));
            }
        }
        return best;
    }

    /// <summary>Finite points clamped to [0,1], sorted by FPR then TPR, with (0,0) and (1,1) added.</summary>
    private static RocPoint[] Normalize(IReadOnlyList<RocPoint> points) =>
        points.Where(p => double.IsFinite(p.Fpr) && double.IsFinite(p.Tpr))
            .Select(p => new RocPoint(Math.Clamp(p.Fpr, 0, 1), Math.Clamp(p.Tpr, 0, 1)))
            .Prepend(new RocPoint(0, 0)).Append(new RocPoint(1, 1))
            .OrderBy(p => p.Fpr).ThenBy(p => p.Tpr).ToArray();
}
