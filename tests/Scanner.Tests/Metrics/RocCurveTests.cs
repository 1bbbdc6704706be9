using Xunit;
using MemScan.Scanner.Metrics;

namespace MemScan.Scanner.Tests.Metrics;

public class RocCurveTests
{
    [Fact]
    public void Perfectly_separated_scores_have_auc_one_and_full_advantage()
    {
        var curve = RocCurve.Compute([0.9, 0.8, 0.7, 0.2, 0.1], [true, true, true, false, false]);
        Assert.Equal(1, curve.Auc);
        Assert.Equal(1, curve.Advantage);
        Assert.Equal(1, curve.BalancedAccuracy);
        Assert.Equal(1, curve.TprAtZeroFpr);
    }

    [Fact]
    public void Identical_scores_have_auc_one_half_and_one_diagonal_step()
    {
        var curve = RocCurve.Compute([3.0, 3.0, 3.0, 3.0], [true, false, true, false]);
        Assert.Equal(0.5, curve.Auc);
        Assert.Equal(0, curve.Advantage);
        Assert.Equal(0, curve.TprAtZeroFpr);
        Assert.Equal([new RocPoint(0, 0, double.PositiveInfinity), new RocPoint(1, 1, 3.0)], curve.Points);
    }

    [Fact]
    public void Tied_scores_form_one_operating_point()
    {
        var curve = RocCurve.Compute([3.0, 2.0, 2.0, 1.0], [true, true, false, false]);
        Assert.Equal(
            [new RocPoint(0, 0, double.PositiveInfinity), new RocPoint(0, 0.5, 3.0), new RocPoint(0.5, 1, 2.0), new RocPoint(1, 1, 1.0)],
            curve.Points);
        Assert.Equal(0.875, curve.Auc); // pairs: 2 wins + tie (½) + 1 win of 4
    }

    [Fact]
    public void Auc_equals_a_brute_force_count_of_ordered_pairs_on_random_tied_data()
    {
        var random = new Random(7);
        int n = 600;
        var scores = new double[n];
        var labels = new bool[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = random.NextDouble() < 0.4;
            scores[i] = Math.Round(random.NextDouble() * 20 + (labels[i] ? 3 : 0)); // many ties
        }
        double wins = 0;
        int pairs = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (labels[i] && !labels[j])
                {
                    pairs++;
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
        var curve = RocCurve.Compute(scores, labels);
        Assert.Equal(wins / pairs, curve.Auc, 1e-12);
        Assert.InRange(curve.Auc, 0.55, 0.75);
    }

    [Fact]
    public void Tpr_at_0_1_percent_fpr_allows_exactly_one_false_positive_in_a_thousand()
    {
        // 1000 non-members scored 0 .. 0.999; of 100 members 50 beat every non-member, 30 beat all
        // but the top non-member, 20 are low.
        var scores = new List<double>();
        var labels = new List<bool>();
        for (int i = 0; i < 1000; i++) { scores.Add(i / 1000.0); labels.Add(false); }
        for (int i = 0; i < 50; i++) { scores.Add(2.0); labels.Add(true); }
        for (int i = 0; i < 30; i++) { scores.Add(0.9985); labels.Add(true); }
        for (int i = 0; i < 20; i++) { scores.Add(0.1); labels.Add(true); }
        var curve = RocCurve.Compute(scores, labels);

        Assert.Equal(0.5, curve.TprAtZeroFpr);
        Assert.Equal(0.8, curve.TprAt0Point1PercentFpr);
        Assert.Equal(0.8, curve.TprAtFpr(0.0019)); // still only one false positive allowed
        Assert.Equal(0.8, curve.TprAt1PercentFpr);  // the next members sit at 0.1, far down
    }

    [Fact]
    public void Advantage_is_the_largest_gap_between_tpr_and_fpr()
    {
        var curve = RocCurve.Compute([5.0, 4, 3, 2, 1, 0], [true, false, true, true, false, false]);
        // thresholds: 5 → (0, 1/3), 4 → (1/3, 1/3), 3 → (1/3, 2/3), 2 → (1/3, 1): gap 2/3
        Assert.Equal(2.0 / 3, curve.Advantage, 1e-12);
        Assert.Equal(0.5 * (1 + 2.0 / 3), curve.BalancedAccuracy, 1e-12);
    }

    [Fact]
    public void A_single_class_is_rejected_with_the_counts()
    {
        var e = Assert.Throws<MemScanException>(() => RocCurve.Compute([1.0, 2.0], [true, true]));
        Assert.Contains("2 members and 0 non-members", e.Message);
    }

    [Fact]
    public void Rows_carry_the_attack_name_and_every_point()
    {
        var curve = RocCurve.Compute([1.0, 0.0], [true, false]);
        var rows = curve.ToRows("loss").ToList();
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal("loss", r.Attack));
        Assert.Equal(double.PositiveInfinity, rows[0].Threshold);
        Assert.Equal((1.0, 1.0), (rows[2].Fpr, rows[2].Tpr));
    }

    [Fact]
    public void Tpr_at_fpr_at_most_x_counts_a_point_exactly_on_x_and_tpr_below_x_does_not()
    {
        // 1,000 non-members and 10 members: the top member scores beat every non-member, then one
        // non-member (FPR exactly 0.1%), then five more members, then the rest.
        var scores = new List<double>();
        var labels = new List<bool>();
        for (int i = 0; i < 4; i++) { scores.Add(100 - i); labels.Add(true); }
        scores.Add(90); labels.Add(false);
        for (int i = 0; i < 5; i++) { scores.Add(80 - i); labels.Add(true); }
        for (int i = 0; i < 999; i++) { scores.Add(50 - i * 0.01); labels.Add(false); }
        scores.Add(0); labels.Add(true);
        var curve = RocCurve.Compute(scores, labels);
        Assert.Equal(0.9, curve.TprAtFpr(0.001), 12);       // FPR <= 0.1%: one false positive allowed
        Assert.Equal(0.4, curve.TprBelowFpr(0.001), 12);    // FPR < 0.1%: none
        Assert.Equal(0.9, curve.TprBelowFpr(0.01), 12);     // far from a point on 1%: both readings agree
        Assert.Equal(curve.TprAtFpr(0.01), curve.TprBelowFpr(0.01));
        var summary = MiaSummary.From("loss", curve, new ConfidenceInterval(0.5, 0.5, 0.5, 0.95));
        Assert.Equal((0.9, 0.4), (summary.TprAt0Point1PctFpr, summary.TprBelow0Point1PctFpr));
    }
}
