namespace MemScan.Scanner.Metrics;

/// <summary>
/// Percentile bootstrap confidence intervals (Efron 1979; Efron &amp; Tibshirani 1993, ch. 13) for
/// statistics of a ROC curve. Each resample draws members with replacement from the members and
/// non-members from the non-members (stratified, so every resample keeps both classes and the
/// original class sizes); the interval is the (α/2, 1 - α/2) quantiles of the resampled statistic,
/// interpolated linearly between order statistics (numpy's default). Seeded: the same inputs and
/// seed give the same interval.
/// </summary>
public static class RocBootstrap
{
    public const int DefaultResamples = 1000;

    /// <summary>Interval for the AUC.</summary>
    public static ConfidenceInterval Auc(IReadOnlyList<double> scores, IReadOnlyList<bool> isMember,
        int resamples = DefaultResamples, double confidence = 0.95, int seed = 0) =>
        Interval(scores, isMember, c => c.Auc, resamples, confidence, seed);

    /// <summary>Interval for the TPR at FPR ≤ <paramref name="maxFpr"/>.</summary>
    public static ConfidenceInterval TprAtFpr(IReadOnlyList<double> scores, IReadOnlyList<bool> isMember, double maxFpr,
        int resamples = DefaultResamples, double confidence = 0.95, int seed = 0) =>
        Interval(scores, isMember, c => c.TprAtFpr(maxFpr), resamples, confidence, seed);

    /// <summary>Interval for any statistic of the curve.</summary>
    public static ConfidenceInterval Interval(IReadOnlyList<double> scores, IReadOnlyList<bool> isMember,
        Func<RocCurve, double> statistic, int resamples = DefaultResamples, double confidence = 0.95, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(statistic);
        LabeledScores.Check(scores, isMember);
        if (resamples < 2) throw new MemScanException($"a bootstrap needs at least 2 resamples, got {resamples}");
        if (!(confidence > 0 && confidence < 1)) throw new MemScanException($"confidence must be in (0, 1), got {confidence}");

        var memberScores = new List<double>();
        var nonMemberScores = new List<double>();
        for (int i = 0; i < scores.Count; i++) (isMember[i] ? memberScores : nonMemberScores).Add(scores[i]);
        double estimate = statistic(RocCurve.Compute(scores, isMember));

        var labels = new bool[scores.Count];
        for (int i = 0; i < memberScores.Count; i++) labels[i] = true;
        var sample = new double[scores.Count];
        var values = new double[resamples];
        var random = new Random(seed);
        for (int r = 0; r < resamples; r++)
        {
            for (int i = 0; i < memberScores.Count; i++)
                sample[i] = memberScores[random.Next(memberScores.Count)];
            for (int i = 0; i < nonMemberScores.Count; i++)
                sample[memberScores.Count + i] = nonMemberScores[random.Next(nonMemberScores.Count)];
            values[r] = statistic(RocCurve.Compute(sample, labels));
        }
        Array.Sort(values);
        double alpha = 1 - confidence;
        return new ConfidenceInterval(estimate, Quantile(values, alpha / 2), Quantile(values, 1 - alpha / 2), confidence);
    }

    /// <summary>The q-quantile of sorted values, linear between order statistics (type 7).</summary>
    internal static double Quantile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
