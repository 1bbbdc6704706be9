namespace MemScan.Scanner.Metrics;

/// <summary>The binomial distribution Binomial(n, q): probability mass and upper tail.</summary>
public static class Binomial
{
    /// <summary>P[Binomial(n, q) = k].</summary>
    public static double Pmf(int k, int n, double q)
    {
        Check(n, q);
        if (k < 0 || k > n) return 0;
        if (q == 0) return k == 0 ? 1 : 0;
        if (q == 1) return k == n ? 1 : 0;
        double logChoose = GammaFunction.LogGamma(n + 1.0) - GammaFunction.LogGamma(k + 1.0) - GammaFunction.LogGamma(n - k + 1.0);
        return Math.Exp(logChoose + k * Math.Log(q) + (n - k) * StableMath.Log1P(-q));
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
