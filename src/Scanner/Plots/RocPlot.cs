using MemScan.Scanner.Metrics;
using ScottPlot;

namespace MemScan.Scanner.Plots;

/// <summary>
/// ROC curves of several membership attacks on one chart, with the chance diagonal, saved as PNG
/// (<c>roc.png</c> / <c>roc-loglog.png</c> beside <c>roc.parquet</c>). Each legend entry carries the
/// attack's AUC and TPR at 0.1% FPR. Tied scores are joined by straight segments, as the exact
/// empirical curve is (see <see cref="RocCurve"/>).
/// </summary>
public static class RocPlot
{
    public static void Save(string path, IReadOnlyList<(string Attack, RocCurve Curve)> curves, RocAxes axes = RocAxes.Linear,
        int width = PngFile.DefaultWidth, int height = PngFile.DefaultHeight, string? title = null)
    {
        using var plot = Build(curves, axes, title);
        PngFile.Save(plot, path, width, height);
    }

    internal static Plot Build(IReadOnlyList<(string Attack, RocCurve Curve)> curves, RocAxes axes, string? title)
    {
        ArgumentNullException.ThrowIfNull(curves);
        if (curves.Count == 0) throw new MemScanException("a ROC plot needs at least one attack's curve, got none");
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        bool log = axes == RocAxes.LogLog;
        // the log axes start half a step below the smallest non-zero rate of any curve
        double floor = log ? 0.5 / Math.Max(curves.Max(c => c.Curve.NonMembers), curves.Max(c => c.Curve.Members)) : 0;
        double Scale(double rate) => log ? Math.Log10(Math.Max(rate, floor)) : rate;

        var diagonal = plot.Add.ScatterLine(new[] { Scale(floor), Scale(1) }, new[] { Scale(floor), Scale(1) }, Colors.Gray);
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.LineWidth = 1;

        for (int i = 0; i < curves.Count; i++)
        {
            var (attack, curve) = curves[i];
            ArgumentNullException.ThrowIfNull(curve);
            var xs = curve.Points.Select(p => Scale(p.Fpr)).ToArray();
            var ys = curve.Points.Select(p => Scale(p.Tpr)).ToArray();
            var line = plot.Add.ScatterLine(xs, ys, palette.GetColor(i));
            line.LineWidth = 2;
            line.LegendText = $"{attack} (AUC {curve.Auc:0.000}, TPR@0.1% {100 * curve.TprAt0Point1PercentFpr:0.0}%)";
        }

        if (log)
        {
            foreach (var axis in new IAxis[] { plot.Axes.Bottom, plot.Axes.Left })
                axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
                {
                    IntegerTicksOnly = true,
                    MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
                    LabelFormatter = v => PowerOfTen(v),
                };
            plot.Axes.SetLimits(Scale(floor), 0, Scale(floor), 0);
        }
        else
        {
            plot.Axes.SetLimits(0, 1, 0, 1);
        }
        plot.XLabel(log ? "False positive rate (log scale)" : "False positive rate");
        plot.YLabel(log ? "True positive rate (log scale)" : "True positive rate");
        plot.Title(title ?? (log ? "Membership inference ROC (log-log)" : "Membership inference ROC"));
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    static string PowerOfTen(double exponent)
    {
        double value = Math.Pow(10, exponent);
        return exponent >= -3 ? value.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) : $"1e{exponent:0}";
    }
}
