using Xunit;
using MemScan.Scanner.Metrics;
using MemScan.Scanner.Results;
using MemScan.Scanner.Tests.Results;

namespace MemScan.Scanner.Tests.Metrics;

public class RocBootstrapTests
{
    static (double[] Scores, bool[] Labels) Noisy(int n, int seed)
    {
        var random = new Random(seed);
        var scores = new double[n];
        var labels = new bool[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = i % 2 == 0;
            scores[i] = Gaussian(random) + (labels[i] ? 1 : 0);
        }
        return (scores, labels);
    }

    static double Gaussian(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    [Fact]
    public void The_auc_interval_brackets_the_estimate_and_the_true_value()
    {
        var (scores, labels) = Noisy(400, 1);
        var interval = RocBootstrap.Auc(scores, labels, resamples: 500, seed: 3);
        Assert.Equal(RocCurve.Compute(scores, labels).Auc, interval.Estimate);
        Assert.True(interval.Low < interval.Estimate && interval.Estimate < interval.High, $"{interval}");
        // the true AUC of N(1,1) vs N(0,1) is Φ(1/√2) = 0.7602
        Assert.InRange(0.7602, interval.Low, interval.High);
        Assert.InRange(interval.High - interval.Low, 0.03, 0.15);
    }

    [Fact]
    public void The_same_seed_gives_the_same_interval_and_another_seed_another()
    {
        var (scores, labels) = Noisy(200, 2);
        var a = RocBootstrap.TprAtFpr(scores, labels, 0.1, resamples: 200, seed: 5);
        var b = RocBootstrap.TprAtFpr(scores, labels, 0.1, resamples: 200, seed: 5);
        var c = RocBootstrap.TprAtFpr(scores, labels, 0.1, resamples: 200, seed: 6);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Perfect_separation_has_a_degenerate_interval_at_one()
    {
        var interval = RocBootstrap.Auc([5.0, 6, 7, 1, 2, 3], [true, true, true, false, false, false], resamples: 100);
        Assert.Equal((1.0, 1.0, 1.0), (interval.Estimate, interval.Low, interval.High));
    }

    [Fact]
    public async Task A_summary_round_trips_through_mia_parquet()
    {
        var (scores, labels) = Noisy(300, 4);
        var summary = MiaSummary.Compute("loss", scores, labels, resamples: 100, seed: 1);
        Assert.Equal(150, summary.Members);
        Assert.Equal(150, summary.NonMembers);
        Assert.True(summary.AucLow < summary.Auc && summary.Auc < summary.AucHigh);
        Assert.True(summary.TprAt0Fpr <= summary.TprAt0Point1PctFpr && summary.TprAt0Point1PctFpr <= summary.TprAt1PctFpr);

        using var dir = new TempFolder();
        string path = dir.File("mia.parquet");
        await ParquetTable<MiaSummary>.WriteAsync(path, [summary], TestContext.Current.CancellationToken);
        var back = await ParquetTable<MiaSummary>.ReadAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(summary, Assert.Single(back));
        Assert.Contains("tpr_at_0_1pct_fpr", ParquetTable<MiaSummary>.ColumnNames);
    }

    [Fact]
    public async Task Roc_rows_round_trip_through_roc_parquet_with_an_infinite_first_threshold()
    {
        var curve = RocCurve.Compute([0.3, 0.2, 0.2, 0.1], [true, false, true, false]);
        using var dir = new TempFolder();
        string path = dir.File("roc.parquet");
        await ParquetTable<RocRow>.WriteAsync(path, curve.ToRows("zlib"), TestContext.Current.CancellationToken);
        var back = await ParquetTable<RocRow>.ReadAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(curve.ToRows("zlib"), back);
        Assert.Equal(["attack", "fpr", "tpr", "threshold"], ParquetTable<RocRow>.ColumnNames);
    }
}
