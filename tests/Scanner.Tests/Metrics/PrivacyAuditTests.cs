using Xunit;
using MemScan.Scanner.Metrics;

namespace MemScan.Scanner.Tests.Metrics;

public class PrivacyAuditTests
{
    static double Normal(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    static (double[] Scores, bool[] In) Canaries(int n, double separation, int seed)
    {
        var random = new Random(seed);
        var scores = new double[n];
        var inside = new bool[n];
        for (int i = 0; i < n; i++)
        {
            inside[i] = random.Next(2) == 0;
            scores[i] = Normal(random) + (inside[i] ? separation : 0);
        }
        return (scores, inside);
    }

    [Fact]
    public void Threshold_audit_of_identical_in_and_out_distributions_gives_about_zero()
    {
        var (scores, inside) = Canaries(2000, 0, 1);
        var bound = ThresholdAudit.Compute(scores, inside);
        Assert.InRange(bound.Epsilon, 0, 0.05);
        Assert.Equal(2000, bound.ThresholdsTried);
    }

    [Fact]
    public void Threshold_audit_of_separated_distributions_is_clearly_positive()
    {
        var (scores, inside) = Canaries(2000, 4, 2);
        var bound = ThresholdAudit.Compute(scores, inside);
        Assert.True(bound.Epsilon > 2, $"{bound}");
        Assert.True(ThresholdAudit.Compute(scores, inside, delta: 1e-3).Epsilon <= bound.Epsilon);
    }

    [Fact]
    public void Threshold_audit_of_perfect_separation_matches_the_clopper_pearson_closed_form()
    {
        // 500 IN above 500 OUT, all 1000 scores distinct: the best threshold has TP = 500, FP = 0 and
        // both bounds at level α' = 0.05 / (2 · 1000): TPR_lo = α'^(1/500), FPR_hi = 1 - α'^(1/500)
        var scores = Enumerable.Range(0, 1000).Select(i => (double)i).ToArray();
        var inside = scores.Select(s => s >= 500).ToArray();
        var bound = ThresholdAudit.Compute(scores, inside, alpha: 0.05);
        double c = Math.Pow(0.05 / 2000, 1.0 / 500);
        Assert.Equal(Math.Log(c / (1 - c)), bound.Epsilon, 6);
        Assert.Equal(500, bound.Threshold);
    }

    [Fact]
    public void Fewer_thresholds_fixed_in_advance_pay_a_smaller_bonferroni_price()
    {
        var scores = Enumerable.Range(0, 1000).Select(i => (double)i).ToArray();
        var inside = scores.Select(s => s >= 500).ToArray();
        var all = ThresholdAudit.Compute(scores, inside);
        var one = ThresholdAudit.Compute(scores, inside, thresholds: [500.0]);
        Assert.Equal(1, one.ThresholdsTried);
        double c = Math.Pow(0.05 / 2, 1.0 / 500);
        Assert.Equal(Math.Log(c / (1 - c)), one.Epsilon, 6);
        Assert.True(one.Epsilon > all.Epsilon);
    }

    [Fact]
    public void Threshold_audit_uses_the_complement_form_when_out_canaries_are_the_recognizable_ones()
    {
        // OUT canaries are spread out, IN canaries sit in the middle: the low tail is pure OUT,
        // which the TNR / FNR form exploits (flag everything above the lowest OUT block)
        var scores = new List<double>();
        var inside = new List<bool>();
        for (int i = 0; i < 300; i++) { scores.Add(-10 - i); inside.Add(false); }
        for (int i = 0; i < 300; i++) { scores.Add(i); inside.Add(i % 2 == 0); }
        var bound = ThresholdAudit.Compute(scores, inside);
        Assert.True(bound.FromComplement, $"{bound}");
        Assert.True(bound.Epsilon > 0.5, $"{bound}");
    }

    [Fact]
    public void One_run_ceiling_with_delta_zero_has_the_closed_form()
    {
        double b = Math.Pow(0.05, 1.0 / 100);
        Assert.Equal(Math.Log(b / (1 - b)), OneRunAudit.Ceiling(1000, 100, 0.05), 8);
        Assert.Equal(3.4930, OneRunAudit.Ceiling(1000, 100, 0.05), 3);
    }

    [Fact]
    public void One_run_bound_with_all_guesses_correct_grows_with_the_number_of_guesses()
    {
        double previous = 0;
        foreach (int r in new[] { 5, 10, 50, 100, 500, 1000 })
        {
            double bound = OneRunAudit.EpsilonLowerBound(1000, r, r);
            Assert.True(bound > previous, $"r = {r}: {bound} after {previous}");
            previous = bound;
        }
    }

    [Fact]
    public void One_run_bound_with_some_wrong_guesses_is_below_the_ceiling()
    {
        double ceiling = OneRunAudit.Ceiling(1000, 200);
        double bound = OneRunAudit.EpsilonLowerBound(1000, 200, 180);
        Assert.True(bound > 1 && bound < ceiling, $"{bound} vs ceiling {ceiling}");
        // at the bound the p-value crosses beta
        Assert.True(OneRunAudit.PValue(1000, 200, 180, bound) < 0.05);
        Assert.True(OneRunAudit.PValue(1000, 200, 180, bound + 1e-6) >= 0.05);
    }

    [Fact]
    public void One_run_bound_is_zero_at_chance_accuracy()
    {
        Assert.Equal(0, OneRunAudit.EpsilonLowerBound(1000, 200, 100));
        Assert.Equal(0, OneRunAudit.EpsilonLowerBound(1000, 200, 0));
    }

    [Fact]
    public void One_run_bound_with_positive_delta_is_smaller_and_shrinks_with_more_canaries()
    {
        double pure = OneRunAudit.EpsilonLowerBound(1000, 100, 95);
        double approx = OneRunAudit.EpsilonLowerBound(1000, 100, 95, delta: 1e-5);
        double moreCanaries = OneRunAudit.EpsilonLowerBound(100000, 100, 95, delta: 1e-5);
        Assert.True(approx < pure, $"{approx} vs {pure}");
        Assert.True(moreCanaries < approx, $"{moreCanaries} vs {approx}");
        Assert.True(moreCanaries > 0);
    }

    [Fact]
    public void One_run_audit_from_scores_counts_correct_guesses_at_both_ends()
    {
        // 10 canaries; top 3 guessed IN (2 right), bottom 2 guessed OUT (2 right)
        double[] scores = [9, 8, 7, 6, 5, 4, 3, 2, 1, 0];
        bool[] inside = [true, false, true, true, false, true, false, true, false, false];
        var result = OneRunAudit.FromScores(scores, inside, guessIn: 3, guessOut: 2);
        Assert.Equal((10, 5, 4), (result.Canaries, result.Guesses, result.Correct));
        Assert.Equal(OneRunAudit.EpsilonLowerBound(10, 5, 4), result.Epsilon);
        Assert.Equal(OneRunAudit.Ceiling(10, 5), result.Ceiling);
    }

    [Fact]
    public void One_run_audit_of_well_separated_canaries_gives_a_clearly_positive_bound()
    {
        var (scores, inside) = Canaries(1000, 3, 3);
        var result = OneRunAudit.FromScores(scores, inside, guessIn: 100, guessOut: 100);
        Assert.True(result.Epsilon > 2 && result.Epsilon <= result.Ceiling, $"{result}");
        var (noise, noiseInside) = Canaries(1000, 0, 4);
        Assert.True(OneRunAudit.FromScores(noise, noiseInside, 100, 100).Epsilon < 0.5);
    }

    [Fact]
    public void Impossible_guess_counts_are_rejected_with_the_numbers()
    {
        var e = Assert.Throws<MemScanException>(() => OneRunAudit.EpsilonLowerBound(10, 20, 5));
        Assert.Contains("5 correct of 20 guesses on 10 canaries", e.Message);
    }
}
