using Xunit;
using MemScan.Scanner.Metrics;

namespace MemScan.Scanner.Tests.Metrics;

public class RmiaTests
{
    [Fact]
    public void Offline_marginal_maps_the_out_mean_linearly_with_parameter_a()
    {
        Assert.Equal(0.675, Rmia.OfflineMarginal(0.5, 0.3), 12);  // 0.65 · 0.5 + 0.35
        Assert.Equal(0.4, Rmia.OfflineMarginal(0.4, 1), 12);      // a = 1: the OUT mean as is
        Assert.Equal(0.5, Rmia.OfflineMarginal(0.0, 0), 12);      // a = 0: halfway to certainty
        var e = Assert.Throws<MemScanException>(() => Rmia.OfflineMarginal(0.5, 1.5));
        Assert.Contains("got 1.5", e.Message);
    }

    [Fact]
    public void Score_is_the_fraction_of_population_samples_the_example_dominates_by_gamma()
    {
        // a = 1 so Pr = the OUT mean. x: 0.9 / 0.45 = 2. z ratios: 0.5/0.5 = 1, 0.6/0.4 = 1.5, 0.9/0.3 = 3
        double[] targetX = [0.9];
        IReadOnlyList<double>[] refX = [[0.4, 0.5]];
        double[] targetZ = [0.5, 0.6, 0.9];
        IReadOnlyList<double>[] refZ = [[0.5], [0.4], [0.3]];
        // LR(x, z) = 2, 1.33, 0.67
        Assert.Equal(2.0 / 3, Rmia.OfflineScores(targetX, refX, targetZ, refZ, a: 1, gamma: 1)[0], 12);
        Assert.Equal(1.0 / 3, Rmia.OfflineScores(targetX, refX, targetZ, refZ, a: 1, gamma: 1.5)[0], 12);
        Assert.Equal(1.0 / 3, Rmia.OfflineScores(targetX, refX, targetZ, refZ, a: 1, gamma: 2)[0], 12); // LR = 2 counts (≥)
        Assert.Equal(0, Rmia.OfflineScores(targetX, refX, targetZ, refZ, a: 1, gamma: 2.01)[0], 12);
    }

    [Fact]
    public void Offline_rmia_ranks_synthetic_members_above_non_members()
    {
        var random = new Random(3);
        int n = 1000, population = 500, references = 4;
        // each example has an intrinsic difficulty d: reference models give it probability ~ d,
        // the target gives members a boost
        var targetX = new double[n];
        var member = new bool[n];
        var refX = new IReadOnlyList<double>[n];
        for (int i = 0; i < n; i++)
        {
            double d = 0.05 + 0.9 * random.NextDouble();
            member[i] = i % 2 == 0;
            refX[i] = Enumerable.Range(0, references).Select(_ => Noisy(random, d)).ToArray();
            targetX[i] = Noisy(random, member[i] ? Math.Min(0.99, d + 0.25 * (1 - d) + 0.05) : d);
        }
        var targetZ = new double[population];
        var refZ = new IReadOnlyList<double>[population];
        for (int j = 0; j < population; j++)
        {
            double d = 0.05 + 0.9 * random.NextDouble();
            refZ[j] = Enumerable.Range(0, references).Select(_ => Noisy(random, d)).ToArray();
            targetZ[j] = Noisy(random, d);
        }
        var scores = Rmia.OfflineScores(targetX, refX, targetZ, refZ, a: 0.5);
        var rmia = RocCurve.Compute(scores, member);
        var plain = RocCurve.Compute(targetX, member); // the target probability alone
        Assert.True(rmia.Auc > 0.75, $"RMIA AUC {rmia.Auc}");
        Assert.True(rmia.Auc > plain.Auc + 0.05, $"RMIA {rmia.Auc} vs plain {plain.Auc}");
    }

    static double Noisy(Random random, double p) => Math.Clamp(p + 0.02 * (random.NextDouble() - 0.5), 0.001, 0.999);
}
