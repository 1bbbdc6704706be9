using MemScan.Scanner.Plots;
using ScottPlot;

namespace MemScan.Scanner.Trajectory;

/// <summary>
/// The trajectory's figures. Language models: <c>exposure.png</c>, mean exposure against step per
/// insertion count (Carlini et al. 2019, Fig. 3) with the validation loss on the right axis and a
/// dashed line at its minimum. Classifiers: <c>accuracy.png</c>, training-label accuracy per
/// example group against epoch (Arpit et al. 2017: real examples are fitted before noise).
/// </summary>
public static class TrajectoryPlots
{
    public const string ExposureFile = "exposure.png", AccuracyFile = "accuracy.png";

    public static IReadOnlyList<string> Save(string outDir, string kind, IReadOnlyList<TrajectoryRow> rows)
    {
        string path = Path.Combine(outDir, kind == "classifier" ? AccuracyFile : ExposureFile);
        using var plot = kind == "classifier" ? Accuracy(rows) : Exposure(rows);
        if (plot is null) return [];
        PngFile.Save(plot, path, PngFile.DefaultWidth, PngFile.DefaultHeight);
        return [path];
    }

    internal static Plot? Exposure(IReadOnlyList<TrajectoryRow> rows)
    {
        var canaries = rows.Where(r => r.SubjectKind == TrajectoryRow.Canary && r.ExposureBits is not null).ToList();
        if (canaries.Count == 0) return null;
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int color = 0;
        foreach (var group in canaries.GroupBy(r => r.Insertions ?? 0).OrderByDescending(g => g.Key))
        {
            var points = group.GroupBy(r => r.Step).OrderBy(s => s.Key).ToList();
            var line = plot.Add.Scatter(points.Select(p => (double)p.Key).ToArray(), points.Select(p => p.Average(r => r.ExposureBits!.Value)).ToArray(), palette.GetColor(color++));
            line.LineWidth = 2;
            int count = group.Select(r => r.Subject).Distinct().Count();
            line.LegendText = $"inserted {group.Key}× ({count} canar{(count == 1 ? "y" : "ies")})";
        }
        double maxBits = canaries.Max(r => r.Log2Space ?? 0);
        if (maxBits > 0) plot.Add.HorizontalLine(maxBits, 1, Colors.Gray, LinePattern.Dotted).LegendText = $"log2|R| = {maxBits:0.#} bits";
        var model = rows.Where(r => r.SubjectKind == TrajectoryRow.Model && r.ValidationLoss is not null).OrderBy(r => r.Step).ToList();
        if (model.Count > 0)
        {
            var validation = plot.Add.Scatter(model.Select(r => (double)r.Step).ToArray(), model.Select(r => r.ValidationLoss!.Value).ToArray(), Colors.Black);
            validation.LinePattern = LinePattern.Dashed;
            validation.Axes.YAxis = plot.Axes.Right;
            validation.LegendText = "validation loss (right axis)";
            var best = model.MinBy(r => r.ValidationLoss!.Value)!;
            plot.Add.VerticalLine(best.Step, 1, Colors.Gray, LinePattern.Dashed).LegendText = $"lowest validation loss (step {best.Step})";
            plot.Axes.Right.Label.Text = "Validation loss (nats)";
        }
        plot.XLabel($"Training {rows[0].Unit}");
        plot.YLabel("Exposure (bits)");
        plot.Title("Canary exposure over training");
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    internal static Plot? Accuracy(IReadOnlyList<TrajectoryRow> rows)
    {
        var groups = rows.Where(r => r.SubjectKind == TrajectoryRow.Group && r.Accuracy is not null && r.Subject != ExampleGroups.HeldOutCanary).ToList();
        if (groups.Count == 0) return null;
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int color = 0;
        foreach (var group in groups.GroupBy(r => r.Subject).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var points = group.OrderBy(r => r.Step).ToList();
            var line = plot.Add.Scatter(points.Select(p => (double)p.Step).ToArray(), points.Select(p => p.Accuracy!.Value).ToArray(), palette.GetColor(color++));
            line.LineWidth = 2;
            line.LegendText = $"{group.Key} ({points[0].Examples} examples)";
        }
        plot.Axes.SetLimitsY(0, 1.02);
        plot.XLabel($"Training {rows[0].Unit}");
        plot.YLabel("Accuracy (trained: training label; held-out: true label)");
        plot.Title("Real examples are fitted before noise");
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }
}
