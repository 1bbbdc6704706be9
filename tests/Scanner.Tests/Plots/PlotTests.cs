using Xunit;
using MemScan.Scanner.Metrics;
using MemScan.Scanner.Plots;
using MemScan.Scanner.Tests.Results;

namespace MemScan.Scanner.Tests.Plots;

public class PlotTests
{
    static readonly byte[] PngMagic = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    static void AssertPng(TempFolder dir, string name, int minBytes = 8000)
    {
        byte[] bytes = File.ReadAllBytes(dir.File(name));
        Assert.Equal(PngMagic, bytes[..8]);
        Assert.True(bytes.Length > minBytes, $"{name} is only {bytes.Length} bytes");
        Assert.DoesNotContain(dir.AllFiles(), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    static (double[] Scores, bool[] Labels) Attack(double separation, int seed)
    {
        var random = new Random(seed);
        var scores = new double[2000];
        var labels = new bool[2000];
        for (int i = 0; i < scores.Length; i++)
        {
            labels[i] = i % 2 == 0;
            double normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            scores[i] = normal + (labels[i] ? separation : 0);
        }
        return (scores, labels);
    }

    static List<(string, RocCurve)> TwoAttacks()
    {
        var (a, la) = Attack(0.3, 1);
        var (b, lb) = Attack(1.5, 2);
        return [("loss", RocCurve.Compute(a, la)), ("lira_online", RocCurve.Compute(b, lb))];
    }

    [Fact]
    public void Roc_plot_of_several_attacks_is_written_as_a_png()
    {
        using var dir = new TempFolder();
        RocPlot.Save(dir.File("roc.png"), TwoAttacks());
        AssertPng(dir, "roc.png");
    }

    [Fact]
    public void Log_log_roc_plot_is_written_as_a_png_even_with_zero_rates()
    {
        using var dir = new TempFolder();
        var curves = TwoAttacks();
        curves.Add(("perfect", RocCurve.Compute([2.0, 1.0], [true, false]))); // TPR 1 at FPR 0
        RocPlot.Save(dir.File("roc-loglog.png"), curves, RocAxes.LogLog, width: 640, height: 480);
        AssertPng(dir, "roc-loglog.png");
    }

    [Fact]
    public void Score_histogram_of_members_and_non_members_is_written_as_a_png()
    {
        using var dir = new TempFolder();
        var (scores, labels) = Attack(1, 3);
        ScoreHistogramPlot.Save(dir.File("loss-hist.png"), "loss", scores, labels);
        AssertPng(dir, "loss-hist.png");
    }

    [Fact]
    public void Exposure_histogram_with_its_ceiling_is_written_as_a_png()
    {
        using var dir = new TempFolder();
        var random = new Random(4);
        var exposures = Enumerable.Range(0, 200).Select(_ => random.NextDouble() * 10).Concat(Enumerable.Repeat(19.9, 20)).ToArray();
        ExposureHistogramPlot.Save(dir.File("exposure.png"), exposures, maxExposureBits: Math.Log2(1e6));
        AssertPng(dir, "exposure.png");
    }

    [Fact]
    public void Saving_over_an_existing_plot_replaces_it_atomically()
    {
        using var dir = new TempFolder();
        string path = dir.File("roc.png");
        File.WriteAllText(path, "old");
        RocPlot.Save(path, TwoAttacks(), width: 300, height: 200);
        AssertPng(dir, "roc.png", minBytes: 2000);
        Assert.Equal(["roc.png"], dir.AllFiles());
    }

    [Fact]
    public void An_absurd_image_size_is_rejected_with_the_numbers_and_writes_nothing()
    {
        using var dir = new TempFolder();
        var e = Assert.Throws<MemScanException>(() => RocPlot.Save(dir.File("roc.png"), TwoAttacks(), width: 0, height: 480));
        Assert.Contains("0 x 480", e.Message);
        Assert.Empty(dir.AllFiles());
    }

    [Fact]
    public void Histogram_bins_share_edges_and_put_the_maximum_in_the_last_bin()
    {
        var bins = HistogramBins.Spanning([0.0, 10.0, double.NaN], 5);
        Assert.Equal((0.0, 2.0, 10.0), (bins.Min, bins.Width, bins.Max));
        Assert.Equal([2, 0, 1, 0, 2], bins.Tally([0.0, 1.9, 4.0, 10.0, 9.0, 11.0, double.PositiveInfinity]));
        Assert.Equal(5.0, bins.Center(2));
        var flat = HistogramBins.Spanning([3.0, 3.0], 4);
        Assert.Equal([0, 0, 4, 0], flat.Tally([3.0, 3.0, 3.0, 3.0]));
    }
}
