using Xunit;
using MemScan.Scanner.Metrics;

namespace MemScan.Scanner.Tests.Metrics;

public class LiraTests
{
    [Fact]
    public void Logit_scaled_confidence_is_the_log_odds_of_the_true_label()
    {
        Assert.Equal(Math.Log(3), ConfidenceLogit.FromLogProb(Math.Log(0.75)), 12);
        Assert.Equal(Math.Log(3), ConfidenceLogit.FromProbability(0.75), 12);
        Assert.Equal(-Math.Log(3), ConfidenceLogit.FromLogProb(Math.Log(0.25)), 12);
    }

    [Fact]
    public void Logit_scaled_confidence_stays_exact_when_the_probability_rounds_to_one()
    {
        // p = 1 - 1e-20 is 1.0 as a double; from its log (-1e-20) φ is still ln(1e20)
        Assert.Equal(Math.Log(1e20), ConfidenceLogit.FromLogProb(-1e-20), 9);
        Assert.Equal(ConfidenceLogit.Limit, ConfidenceLogit.FromLogProb(0));
        Assert.Equal(-ConfidenceLogit.Limit, ConfidenceLogit.FromLogProb(double.NegativeInfinity));
    }

    [Fact]
    public void Logit_scaled_confidence_from_logits_is_the_true_logit_minus_the_logsumexp_of_the_others()
    {
        float[] logits = [2f, 0f, 0f];
        Assert.Equal(2 - Math.Log(2), ConfidenceLogit.FromLogits(logits, 0), 12);
        double logSoftmax = 2 - Math.Log(Math.Exp(2) + 2);
        Assert.Equal(ConfidenceLogit.FromLogProb(logSoftmax), ConfidenceLogit.FromLogits(logits, 0), 12);
        // a confident model: softmax would round to 1, the logit form does not
        Assert.Equal(60 - Math.Log(2), ConfidenceLogit.FromLogits([60f, 0f, 0f], 0), 9);
    }

    [Fact]
    public void Online_score_is_the_log_likelihood_ratio_of_the_two_gaussians()
    {
        var inside = new Gaussian(2, 1);
        var outside = new Gaussian(0, 1);
        // ln N(1; 2, 1) - ln N(1; 0, 1) = -(1/2) + (1/2) = 0, and at φ = 2: -0 + 2 = 2
        Assert.Equal(0, Lira.Online(1, inside, outside), 12);
        Assert.Equal(2, Lira.Online(2, inside, outside), 12);
    }

    [Fact]
    public void Offline_score_is_minus_the_log_upper_tail_of_the_out_gaussian()
    {
        var outside = new Gaussian(1, 2);
        Assert.Equal(Math.Log(2), Lira.Offline(1, outside), 6);          // P[Z > μ] = 1/2
        Assert.Equal(-Math.Log(0.02275013), Lira.Offline(5, outside), 5); // 2σ above: 1 - Φ(2)
        Assert.True(Lira.Offline(41, outside) > Lira.Offline(31, outside)); // still ordered 20σ out
    }

    // Synthetic LiRA world: each example has its own difficulty (OUT mean, spread 3) and its own
    // spread; training on it shifts its confidence by +1.5. A single global threshold on φ (the loss
    // attack) mixes easy non-members with hard members; per-example calibration does not.
    sealed record World(double[] TargetPhi, bool[] IsMember, List<double[]> InPhi, List<double[]> OutPhi);

    static World Simulate(int examples, int referencesPerSide, int seed)
    {
        var random = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var target = new double[examples];
        var member = new bool[examples];
        var ins = new List<double[]>();
        var outs = new List<double[]>();
        for (int i = 0; i < examples; i++)
        {
            double mu = 3 * Normal();
            double sd = 0.2 + 0.8 * random.NextDouble();
            double shift = 1.5;
            member[i] = random.Next(2) == 0;
            target[i] = mu + (member[i] ? shift : 0) + sd * Normal();
            ins.Add(Enumerable.Range(0, referencesPerSide).Select(_ => mu + shift + sd * Normal()).ToArray());
            outs.Add(Enumerable.Range(0, referencesPerSide).Select(_ => mu + sd * Normal()).ToArray());
        }
        return new World(target, member, ins, outs);
    }

    [Fact]
    public void Online_lira_separates_synthetic_members_far_better_than_a_loss_threshold_at_low_fpr()
    {
        var world = Simulate(4000, 16, 11);
        var loss = RocCurve.Compute(world.TargetPhi, world.IsMember);
        var online = RocCurve.Compute(Lira.OnlineScores(world.TargetPhi, world.InPhi, world.OutPhi), world.IsMember);
        var offline = RocCurve.Compute(Lira.OfflineScores(world.TargetPhi, world.OutPhi), world.IsMember);

        Assert.True(online.TprAt1PercentFpr > 0.3, $"online {online.TprAt1PercentFpr}");
        Assert.True(loss.TprAt1PercentFpr < 0.1, $"loss {loss.TprAt1PercentFpr}");
        Assert.True(online.TprAt1PercentFpr > 4 * loss.TprAt1PercentFpr);
        Assert.True(offline.TprAt1PercentFpr > 3 * loss.TprAt1PercentFpr, $"offline {offline.TprAt1PercentFpr}");
        Assert.True(online.Auc > loss.Auc + 0.1, $"AUC online {online.Auc} loss {loss.Auc}");
    }

    [Fact]
    public void Global_variance_scores_examples_with_a_single_in_model_where_per_example_variance_cannot()
    {
        // as in a real LiRA split, examples are IN for a random number of reference models: here 1 or 2
        var world = Simulate(2000, 4, 12);
        var fewIn = world.InPhi.Select((v, i) => (IReadOnlyList<double>)v.Take(1 + i % 2).ToArray()).ToList();
        var twoOut = world.OutPhi.Select(v => (IReadOnlyList<double>)v.Take(2).ToArray()).ToList();
        var e = Assert.Throws<MemScanException>(() => Lira.OnlineScores(world.TargetPhi, fewIn, twoOut));
        Assert.Contains("example 0 has 1 IN reference models; PerExample variance needs at least 2", e.Message);

        var scores = Lira.OnlineScores(world.TargetPhi, fewIn, twoOut, LiraVariance.Global);
        var loss = RocCurve.Compute(world.TargetPhi, world.IsMember);
        Assert.True(RocCurve.Compute(scores, world.IsMember).Auc > loss.Auc + 0.05);

        var oneIn = world.InPhi.Select(v => (IReadOnlyList<double>)v.Take(1).ToArray()).ToList();
        e = Assert.Throws<MemScanException>(() => Lira.OnlineScores(world.TargetPhi, oneIn, twoOut, LiraVariance.Global));
        Assert.Contains("every example has 1", e.Message);
    }

    [Fact]
    public void Global_variance_pools_the_spread_within_examples_not_between_them()
    {
        // two examples far apart, each with spread 1 (values m ± 1): pooled sd = √(4 / 2) = √2 with n - 1
        var fits = Lira.Fits([0.0, 0.0], [new[] { -1.0, 1.0 }, new[] { 99.0, 101.0 }], LiraVariance.Global, "OUT");
        Assert.Equal(Math.Sqrt(2), fits[0].StdDev, 12);
        Assert.Equal(100, fits[1].Mean, 12);
    }
}
