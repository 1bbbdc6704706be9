namespace MemScan.Scanner.Metrics;

/// <summary>
/// The skew-normal distribution (location ξ, scale ω, shape α) that the secret sharer fits to the
/// log-perplexities of random candidates to extrapolate a secret's rank in spaces too big to
/// enumerate: exposure ≈ -log2 CDF(secret's log-perplexity). Fitted by maximum likelihood, as
/// scipy.stats.skewnorm.fit does for TensorFlow Privacy.
/// </summary>
public sealed record SkewNormal(double Location, double Scale, double Shape)
{
    const double Log2Pi = 1.8378770664093453;

    public double LogPdf(double x)
    {
        double z = (x - Location) / Scale;
        return Math.Log(2) - Math.Log(Scale) - 0.5 * (Log2Pi + z * z) + Normal.LogCdf(Shape * z);
    }

    /// <summary>ln CDF(x), accurate deep in the left tail and anywhere to the right of the location.</summary>
    public double LogCdf(double x)
    {
        // The density beyond 40 scales from x is below e^-800 and does not matter, so the mass on
        // one side of x is the integral over 40 scales on that side. Left of the location the lower
        // tail is the small side and is integrated directly (in log space, for secrets far below the
        // sampled candidates). Right of it the lower side holds the bulk, which can lie entirely
        // outside [x - 40 scales, x] for a value far above the location (CDF ~1 would come out ~0
        // and exposure hundreds of bits): integrate the upper tail instead, CDF = 1 - upper.
        if (x <= Location) return LogTailMass(x, -1);
        double upper = Math.Exp(LogTailMass(x, +1));
        return StableMath.Log1P(-Math.Min(1, upper));
    }

    /// <summary>ln of the density's integral over 40 scales below (direction -1) or above (+1) x,
    /// by the trapezoid rule on a fine grid in log space.</summary>
    double LogTailMass(double x, int direction)
    {
        double span = 40 * Scale;
        const int points = 8001;
        double h = span / (points - 1);
        double max = double.NegativeInfinity;
        var logs = new double[points];
        for (int i = 0; i < points; i++)
        {
            logs[i] = LogPdf(x + direction * (span - i * h)) + Math.Log(i == 0 || i == points - 1 ? 0.5 * h : h);
            if (logs[i] > max) max = logs[i];
        }
        if (double.IsNegativeInfinity(max)) return double.NegativeInfinity;
        double sum = 0;
        foreach (double l in logs) sum += Math.Exp(l - max);
        return Math.Min(0, max + Math.Log(sum));
    }

    /// <summary>Extrapolated exposure in bits of a value: -log2 CDF(x).</summary>
    public double ExposureBits(double x) => -LogCdf(x) / Math.Log(2);

    public static SkewNormal Fit(IReadOnlyList<double> samples)
    {
        if (samples.Count < 10) throw new ArgumentException($"need at least 10 samples to fit a skew normal, got {samples.Count}");
        double mean = samples.Average();
        double sd = Math.Sqrt(samples.Sum(v => (v - mean) * (v - mean)) / (samples.Count - 1));
        if (sd <= 0) sd = 1e-6;
        double Nll(double[] p)
        {
            double scale = Math.Exp(p[1]);
            var d = new SkewNormal(p[0], scale, p[2]);
            double total = 0;
            foreach (double v in samples) total -= d.LogPdf(v);
            return double.IsFinite(total) ? total : double.MaxValue;
        }
        // Start from the normal fit, then a few shapes of either sign; keep the best optimum.
        double[]? best = null;
        double bestValue = double.PositiveInfinity;
        foreach (double shape in new[] { 0.0, 2.0, -2.0 })
        {
            var p = NelderMead.Minimize(Nll, [mean, Math.Log(sd), shape], [sd * 0.5, 0.3, 1.0]);
            double value = Nll(p);
            if (value < bestValue) (best, bestValue) = (p, value);
        }
        return new SkewNormal(best![0], Math.Exp(best[1]), best[2]);
    }
}

/// <summary>Standard normal helpers.</summary>
public static class Normal
{
    /// <summary>ln Φ(z), stable for very negative z (asymptotic series below -30).</summary>
    public static double LogCdf(double z)
    {
        if (z > -30) return Math.Log(0.5 * Erfc(-z / Math.Sqrt(2)));
        double z2 = z * z;
        return -0.5 * z2 - Math.Log(-z) - 0.5 * 1.8378770664093453 + Math.Log(1 - 1 / z2 + 3 / (z2 * z2));
    }

    public static double Cdf(double z) => 0.5 * Erfc(-z / Math.Sqrt(2));

    /// <summary>Complementary error function (Numerical Recipes' Chebyshev fit, |error| &lt; 1.2e-7 relative).</summary>
    public static double Erfc(double x)
    {
        double z = Math.Abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
            t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
            t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }

    /// <summary>Inverse standard normal CDF (Acklam's rational approximation, refined by one Newton step).</summary>
    public static double Quantile(double p)
    {
        if (p <= 0) return double.NegativeInfinity;
        if (p >= 1) return double.PositiveInfinity;
        double[] a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        double[] b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        double[] c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        double[] d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
        double q, x;
        if (p < 0.02425)
        {
            q = Math.Sqrt(-2 * Math.Log(p));
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        else if (p <= 1 - 0.02425)
        {
            q = p - 0.5;
            double r = q * q;
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
        }
        else
        {
            q = Math.Sqrt(-2 * Math.Log(1 - p));
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        double e = Cdf(x) - p;
        double u = e * Math.Sqrt(2 * Math.PI) * Math.Exp(x * x / 2);
        return x - u / (1 + x * u / 2);
    }
}
