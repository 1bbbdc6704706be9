using MemScan.Scanner.Metrics;
using ScottPlot;

namespace MemScan.Scanner.Plots;

/// <summary>
/// Member and non-member score distributions of one attack, overlaid on shared bins, as fractions of
/// each class (so classes of different sizes compare), saved as PNG. The overlap is what the ROC
/// curve summarizes; a separated tail is what TPR at low FPR measures.
/// </summary>
public static class ScoreHistogramPlot
{
    public const int DefaultBins = 40;

    public static void Save(string path, string attack, IReadOnlyList<double> scores, IReadOnlyList<bool> isMember,
        int bins = DefaultBins, int width = PngFile.DefaultWidth, int height = PngFile.DefaultHeight)
    {
        using var plot = Build(attack, scores, isMember, bins);
        PngFile.Save(plot, path, width, height);
    }

    internal static Plot Build(string attack, IReadOnlyList<double> scores, IReadOnlyList<bool> isMember, int binCount)
    {
        var (members, nonMembers) = LabeledScores.Check(scores, isMember);
        var bins = HistogramBins.Spanning(scores, binCount);
        var memberScores = scores.Where((_, i) => isMember[i]).ToArray();
        var nonMemberScores = scores.Where((_, i) => !isMember[i]).ToArray();
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        HistogramChart.AddSeries(plot, bins, Fractions(bins.Tally(nonMemberScores), nonMembers), palette.GetColor(0), $"non-members ({nonMembers})");
        HistogramChart.AddSeries(plot, bins, Fractions(bins.Tally(memberScores), members), palette.GetColor(1), $"members ({members})");
        plot.Axes.Margins(bottom: 0);
        plot.XLabel($"{attack} score (higher = likelier member)");
        plot.YLabel("Fraction of class");
        plot.Title($"{attack}: member vs non-member scores");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    static double[] Fractions(int[] counts, int total) => counts.Select(c => (double)c / total).ToArray();
}
