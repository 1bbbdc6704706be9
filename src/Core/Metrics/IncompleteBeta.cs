namespace MemScan.Scanner.Metrics;

/// <summary>
/// The regularized incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b) and its inverse in x.
/// I_x is evaluated with the continued fraction of Numerical Recipes §6.4 (modified Lentz's method),
/// using the symmetry I_x(a, b) = 1 - I_{1-x}(b, a) on the side where the fraction converges fast;
/// the inverse is found by bisection, which cannot fail on a monotone function.
/// It is the CDF of the Beta(a, b) distribution, and P[Binomial(n, p) ≥ k] = I_p(k, n - k + 1).
/// </summary>
public static class IncompleteBeta
{
    const double Tiny = 1e-300;
    const double Epsilon = 1e-15;

    /// <summary>I_x(a, b) for a, b &gt; 0 and 0 ≤ x ≤ 1.</summary>
    public static double Regularized(double x, double a, double b)
    {
        Check(x, a, b);
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        return x < (a + 1) / (a + b + 2)
            ? Front(x, a, b) * ContinuedFraction(x, a, b) / a
            : 1 - Front(1 - x, b, a) * ContinuedFraction(1 - x, b, a) / b;
    }

    /// <summary>1 - I_x(a, b) = I_{1-x}(b, a), computed without cancellation when it is tiny.</summary>
    public static double RegularizedComplement(double x, double a, double b)
    {
        Check(x, a, b);
        if (x <= 0) return 1;
        if (x >= 1) return 0;
        return Regularized(1 - x, b, a);
    }

    /// <summary>The x in [0, 1] with I_x(a, b) = <paramref name="p"/> (the Beta(a, b) quantile).</summary>
    public static double InverseRegularized(double p, double a, double b)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, $"probability must be in [0, 1], got {p}");
        Check(0.5, a, b);
        if (p == 0) return 0;
        if (p == 1) return 1;
        double lo = 0, hi = 1;
        // I_x is increasing in x; stop at full double resolution (relative to the root's size).
        for (int i = 0; i < 2000 && hi - lo > 1e-16 * hi; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi) break;
            if (Regularized(mid, a, b) < p) lo = mid;
            else hi = mid;
        }
        return 0.5 * (lo + hi);
    }

    /// <summary>x^a (1-x)^b / B(a, b), the factor in front of the continued fraction.</summary>
    static double Front(double x, double a, double b) =>
        Math.Exp(a * Math.Log(x) + b * Math.Log(1 - x) - GammaFunction.LogBeta(a, b));

    /// <summary>The continued fraction for I_x(a, b) (Numerical Recipes' betacf), by modified Lentz.</summary>
    static double ContinuedFraction(double x, double a, double b)
    {
        double qab = a + b, qap = a + 1, qam = a - 1;
        double c = 1, d = 1 - qab * x / qap;
        if (Math.Abs(d) < Tiny) d = Tiny;
        d = 1 / d;
        double h = d;
        int maxIterations = 1000 + (int)Math.Min(1e7, 10 * Math.Sqrt(Math.Max(a, b)));
        for (int m = 1; m <= maxIterations; m++)
        {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + aa * d;
            if (Math.Abs(d) < Tiny) d = Tiny;
            c = 1 + aa / c;
            if (Math.Abs(c) < Tiny) c = Tiny;
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + aa * d;
            if (Math.Abs(d) < Tiny) d = Tiny;
            c = 1 + aa / c;
            if (Math.Abs(c) < Tiny) c = Tiny;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < Epsilon) return h;
        }
        throw new MemScanException(
            $"incomplete beta continued fraction did not converge in {maxIterations} iterations for x = {x}, a = {a}, b = {b}");
    }

    static void Check(double x, double a, double b)
    {
        if (!(a > 0) || !(b > 0) || double.IsInfinity(a) || double.IsInfinity(b))
            throw new ArgumentOutOfRangeException(nameof(a), $"incomplete beta needs finite a > 0 and b > 0, got a = {a}, b = {b}");
        if (!(x >= 0 && x <= 1))
            throw new ArgumentOutOfRangeException(nameof(x), x, $"incomplete beta needs 0 <= x <= 1, got {x}");
    }
}
