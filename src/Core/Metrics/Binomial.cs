namespace MemScan.Scanner.Metrics;

/// <summary>The binomial distribution Binomial(n, q): probability mass (MathNet.Numerics) and upper tail (our incomplete beta).</summary>
public static class Binomial
{
    /// <summary>P[Binomial(n, q) = k].</summary>
    public static double Pmf(int k, int n, double q)
    {
        Check(n, q);
        if (k < 0 || k > n) return 0;
        // MathNet's PMF measured closer to the exact rational value (2e-14 vs our log-gamma sum's
        // 1.1e-13 relative at Binomial(200, 0.3) = 60) and 27% faster; our Check keeps the error type.
        return MathNet.Numerics.Distributions.Binomial.PMF(q, n, k);
    }

    /// <summary>P[Binomial(n, q) ≥ k] = I_q(k, n - k + 1) (scipy's <c>binom.sf(k - 1, n, q)</c>).</summary>
    public static double AtLeast(int k, int n, double q)
    {
        Check(n, q);
        if (k <= 0) return 1;
        if (k > n) return 0;
        return IncompleteBeta.Regularized(q, k, n - k + 1);
    }

    static void Check(int n, double q)
    {
        if (n < 0) throw new MemScanException($"binomial needs n >= 0 trials, got {n}");
        if (!(q >= 0 && q <= 1)) throw new MemScanException($"binomial needs a success probability in [0, 1], got {q}");
    }
}
