namespace MemScan.Trainer.Privacy;

/// <summary>
/// Log-space arithmetic and the special functions the RDP accountant needs. .NET has no erfc or
/// log-gamma, and the sampled Gaussian's terms over- and underflow doubles long before the
/// accountant is done with them, so everything here stays in log space.
/// </summary>
internal static class LogMath
{
    /// <summary>log(e^x + e^y) without overflow; -inf stands for 0.</summary>
    public static double Add(double logX, double logY)
    {
        double a = Math.Max(logX, logY), b = Math.Min(logX, logY);
        if (double.IsNegativeInfinity(a)) return b;
        return a + Math.Log(1 + Math.Exp(b - a));
    }

    /// <summary>log(e^x - e^y) for x ≥ y; -inf stands for 0.</summary>
    public static double Sub(double logX, double logY)
    {
        if (logX < logY)
            throw new ArithmeticException($"log-space subtraction would be negative: log x = {logX}, log y = {logY}");
        if (double.IsNegativeInfinity(logY)) return logX;
        if (logX == logY) return double.NegativeInfinity;
        // e^x - e^y = (e^(x-y) - 1) e^y; expm1 keeps the precision when x - y is small
        double d = logX - logY;
        return logY + (d > 700 ? d : Math.Log(ExpM1(d)));
    }

    static double ExpM1(double x) => Math.Abs(x) < 1e-5 ? x + x * x / 2 + x * x * x / 6 : Math.Exp(x) - 1;

    /// <summary>
    /// log erfc(x), accurate to about 1e-13 relative, for any x: a positive series for erf below 2
    /// (erfc ≥ 0.0047 there, so 1 - erf loses at most three digits), the classic continued fraction
    /// above it (evaluated in log space, so erfc(40) ≈ e^-1600 is no problem), and
    /// erfc(-x) = 2 - erfc(x) for negative arguments.
    /// </summary>
    public static double LogErfc(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        if (x < 0) return Math.Log(2 - Math.Exp(LogErfc(-x)));
        if (x < 2) return Math.Log(1 - Erf(x));
        // erfc(x) = e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), evaluated bottom-up;
        // 200 levels are far more than x ≥ 2 needs for double precision.
        double t = x;
        for (int n = 200; n >= 1; n--) t = x + n / 2.0 / t;
        return -x * x - 0.5 * Math.Log(Math.PI) - Math.Log(t);
    }

    /// <summary>erf(x) for 0 ≤ x &lt; ~3 from erf(x) = 2/√π e^{-x²} Σ (2x²)^n x / (1·3···(2n+1)), all terms positive.</summary>
    static double Erf(double x)
    {
        double term = x, sum = x, twoX2 = 2 * x * x;
        for (int n = 1; n < 500 && term > 1e-17 * sum; n++)
        {
            term *= twoX2 / (2 * n + 1);
            sum += term;
        }
        return 2 / Math.Sqrt(Math.PI) * Math.Exp(-x * x) * sum;
    }
}
