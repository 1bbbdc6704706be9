using MemScan.Tui.Plots;
using Xunit;

namespace MemScan.Tui.Tests.Plots;

public class TextHistogramTests
{
    [Fact]
    public void The_tallest_bar_reaches_the_top_row_labelled_with_the_peak_count()
    {
        double[] values = [1, 1, 1, 1, 5, 9];

        IReadOnlyList<string> lines = TextHistogram.Render(values, width: 40, height: 4, "Exposure", "bits", 0, 10);

        Assert.Equal("Exposure (n=6)", lines[0]);
        Assert.StartsWith("4 |#", lines[1]);
        Assert.StartsWith("0 +----", lines[^2]);
        Assert.StartsWith("   0", lines[^1]);
        Assert.EndsWith("10 bits", lines[^1]);
        Assert.Equal(1 + 4 + 2, lines.Count);
    }

    [Fact]
    public void No_line_is_wider_than_asked()
    {
        var values = Enumerable.Range(0, 1000).Select(i => Math.Sin(i) * 100).ToArray();

        IReadOnlyList<string> lines = TextHistogram.Render(values, width: 50, height: 6, "sin");

        Assert.All(lines.Skip(1), l => Assert.True(l.Length <= 50, $"'{l}' is {l.Length} wide"));
    }

    [Fact]
    public void Values_that_are_not_numbers_are_counted_and_left_out()
    {
        IReadOnlyList<string> lines = TextHistogram.Render([1, double.NaN, 2, double.PositiveInfinity], 30, 3, "x");

        Assert.Equal("x (n=2, 2 not a number)", lines[0]);
    }

    [Fact]
    public void An_empty_column_says_there_is_no_data()
    {
        Assert.Equal(["x (n=0)", "  (no data)"], TextHistogram.Render([], 30, 3, "x"));
    }

    [Fact]
    public void Bars_are_proportional_to_the_bin_counts()
    {
        // 8 values in the first of 5 bins, 4 in the last
        double[] values = [.. Enumerable.Repeat(0.0, 8), .. Enumerable.Repeat(10.0, 4)];

        IReadOnlyList<string> lines = TextHistogram.Render(values, width: 23, height: 8, "x");

        string[] bars = lines.Skip(1).Take(8).ToArray();
        int BarHeight(int column) => bars.Count(l => l.Length > column && l[column] == TextHistogram.Bar);
        int[] heights = Enumerable.Range(0, 23).Select(BarHeight).Where(h => h > 0).ToArray();
        Assert.Equal(8, heights.First());
        Assert.Equal(4, heights.Last());
    }
}
