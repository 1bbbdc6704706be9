namespace MemScan.Scanner.Metrics;

/// <summary>
/// Empirical privacy auditing by hypothesis testing (Jagielski, Ullman, Oprea 2020, "Auditing
/// Differentially Private Machine Learning: How Private is Private SGD?", NeurIPS; Nasr et al. 2021,
/// "Adversary Instantiation: Lower Bounds for Differentially Private Machine Learning", S&amp;P).
/// An (ε, δ)-DP training run forces every membership test to satisfy TPR ≤ e^ε·FPR + δ and
/// TNR ≤ e^ε·FNR + δ, so for each threshold t (flag canaries scoring ≥ t)
/// <code>
/// ε ≥ ln((TPR_lo - δ) / FPR_hi)   and   ε ≥ ln((1 - FPR_hi - δ) / (1 - TPR_lo))
/// </code>
/// where TPR_lo and FPR_hi are one-sided Clopper–Pearson bounds. With T thresholds tried, each
/// of the 2T bounds is taken at level α / (2T) (Bonferroni), so that all of them, and hence the
/// maximum over thresholds, hold together with confidence 1 - α. The result is never negative.
/// Canaries must be independent draws (e.g. inserted at random) for the binomial model to hold.
/// </summary>
public static class ThresholdAudit
{
    /// <summary>
    /// The bound over every distinct canary score as threshold. <paramref name="scores"/>: higher =
    /// likelier member; <paramref name="isMember"/>: whether the canary was inserted (IN).
    /// </summary>
    public static EpsilonLowerBound Compute(IReadOnlyList<double> scores, IReadOnlyList<bool> isMember,
        double alpha = 0.05, double delta = 0) =>
        Compute(scores, isMember, thresholds: null, alpha, delta);

    /// <summary>
    /// The bound over the given <paramref name="thresholds"/> (all distinct scores when null). Fixing
    /// a few thresholds in advance, independently of these scores, pays a smaller Bonferroni price.
    /// </summary>
    public static EpsilonLowerBound Compute(IReadOnlyList<double> scores, IReadOnlyList<bool> isMember,
        IReadOnlyList<double>? thresholds, double alpha = 0.05, double delta = 0)
    {
        var (members, nonMembers) = LabeledScores.Check(scores, isMember);
        if (!(alpha > 0 && alpha < 1)) throw new MemScanException($"alpha must be in (0, 1), got {alpha}");
        if (!(delta >= 0 && delta < 1)) throw new MemScanException($"delta must be in [0, 1), got {delta}");

        // counts of members / non-members at or above each threshold, from one descending sweep
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        double[] candidates = thresholds is null
            ? order.Select(i => scores[i]).Distinct().ToArray()
            : thresholds.Where(t => !double.IsNaN(t)).Distinct().OrderDescending().ToArray();
        if (candidates.Length == 0) throw new MemScanException("the threshold audit needs at least one threshold, got none");

        double level = alpha / (2.0 * candidates.Length);
        var best = new EpsilonLowerBound(0, double.PositiveInfinity, 0, 1, false, candidates.Length, alpha, delta);
        int k = 0, tp = 0, fp = 0;
        foreach (double t in candidates)
        {
            for (; k < order.Length && scores[order[k]] >= t; k++)
            {
                if (isMember[order[k]]) tp++;
                else fp++;
            }
            double tprLow = ClopperPearson.LowerBound(tp, members, level);
            double fprHigh = ClopperPearson.UpperBound(fp, nonMembers, level);
            double direct = tprLow - delta > 0 ? Math.Log((tprLow - delta) / fprHigh) : double.NegativeInfinity;
            double complement = 1 - fprHigh - delta > 0 ? Math.Log((1 - fprHigh - delta) / (1 - tprLow)) : double.NegativeInfinity;
            double epsilon = Math.Max(direct, complement);
            if (epsilon > best.Epsilon)
                best = new EpsilonLowerBound(epsilon, t, tprLow, fprHigh, complement > direct, candidates.Length, alpha, delta);
        }
        return best;
    }
}
