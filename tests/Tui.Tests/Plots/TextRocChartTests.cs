using MemScan.Tui.Data;
using MemScan.Tui.Plots;
using Xunit;

namespace MemScan.Tui.Tests.Plots;

public class TextRocChartTests
{
    [Fact]
    public void A_perfect_attack_has_auc_one_and_full_tpr_at_one_percent_fpr()
    {
        RocPoint[] perfect = [new(0, 1)];

        Assert.Equal(1.0, TextRocChart.Auc(perfect), 9);
        Assert.Equal(1.0, TextRocChart.TprAt(perfect, 0.01), 9);
    }

    [Fact]
    public void Guessing_has_auc_one_half()
    {
        RocPoint[] chance = [new(0.25, 0.25), new(0.5, 0.5), new(0.75, 0.75)];

        Assert.Equal(0.5, TextRocChart.Auc(chance), 9);
        Assert.Equal(0.01, TextRocChart.TprAt(chance, 0.01), 9);
    }

    [Fact]
    public void The_chart_has_a_title_with_the_metrics_and_the_curve_above_the_diagonal()
    {
        RocPoint[] points = [new(0.0, 0.6), new(0.2, 0.9), new(1, 1)];

        IReadOnlyList<string> lines = TextRocChart.Render(points, width: 30, height: 10, "ROC (roc.parquet)");

        Assert.StartsWith("ROC (roc.parquet): AUC 0.910", lines[0]);
        Assert.StartsWith("1.0 |", lines[1]);
        Assert.StartsWith("0.0 |", lines[10]);
        // a strong attack: at a quarter of the x axis the curve is higher up than the chance line
        string[] plot = lines.Skip(1).Take(10).ToArray();
        int column = 5 + 25 / 4;
        int curveRow = Array.FindIndex(plot, l => l.Length > column && l[column] == TextRocChart.Curve);
        int chanceRow = Array.FindIndex(plot, l => l.Length > column && l[column] == TextRocChart.Chance);
        Assert.True(curveRow >= 0 && chanceRow >= 0 && curveRow < chanceRow, string.Join('\n', lines));
    }

    [Fact]
    public void An_empty_curve_says_there_is_no_data()
    {
        Assert.Equal(["ROC", "  (no data)"], TextRocChart.Render([], 30, 10));
    }
}
