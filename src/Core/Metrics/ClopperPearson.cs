namespace MemScan.Scanner.Metrics;

/// <summary>
/// Exact (Clopper–Pearson 1934) confidence bounds for a binomial proportion from k successes in n
/// trials, by inverting the binomial tails through the beta quantile:
/// lower = B⁻¹(α; k, n - k + 1) (0 when k = 0), upper = B⁻¹(1 - α; k + 1, n - k) (1 when k = n),
/// each one-sided at level α. The two-sided interval at confidence 1 - α puts α/2 on each side.
/// Conservative: coverage is at least the nominal level for every true proportion.
/// </summary>
public static class ClopperPearson
{
    /// <summary>One-sided lower bound: P[true proportion &lt; bound] ≤ <paramref name="alpha"/>.</summary>
    public static double LowerBound(int successes, int trials, double alpha)
    {
        Check(successes, trials, alpha);
        if (successes == 0) return 0;
        return IncompleteBeta.InverseRegularized(alpha, successes, trials - successes + 1);
    }

    /// <summary>One-sided upper bound: P[true proportion &gt; bound] ≤ <paramref name="alpha"/>.</summary>
    public static double UpperBound(int successes, int trials, double alpha)
    {
        Check(successes, trials, alpha);
        // by symmetry: the upper bound on p is one minus the lower bound on 1 - p
        return 1 - LowerBound(trials - successes, trials, alpha);
    }

    /// <summary>Two-sided interval at <paramref name="confidence"/> (e.g. 0.95: 2.5% in each tail).</summary>
    public static (double Lower, double Upper) Interval(int successes, int trials, double confidence = 0.95)
    {
        if (!(confidence > 0 && confidence < 1))
            throw new MemScanException($"confidence must be in (0, 1), got {confidence}");
        double alpha = (1 - confidence) / 2;
        return (LowerBound(successes, trials, alpha), UpperBound(successes, trials, alpha));
    }

    static void Check(int successes, int trials, double alpha)
    {
        if (trials < 1 || successes < 0 || successes > trials)
            throw new MemScanException($"Clopper-Pearson needs 0 <= successes <= trials and trials >= 1, got {successes} of {trials}");
        if (!(alpha > 0 && alpha < 1))
            throw new MemScanException($"alpha must be in (0, 1), got {alpha}");
    }
}
