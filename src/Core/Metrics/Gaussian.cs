namespace MemScan.Scanner.Metrics;

/// <summary>
/// A normal distribution N(mean, sd²), as LiRA fits to an example's logit-scaled confidences over
/// reference models. <see cref="Fit"/> uses the mean and the population standard deviation
/// (divisor n, numpy's <c>np.std</c> default, as the LiRA authors' code).
/// </summary>
public readonly record struct Gaussian(double Mean, double StdDev)
{
    const double HalfLog2Pi = 0.91893853320467274;

    /// <summary>Guard added to the standard deviation so that identical samples do not divide by 0 (the LiRA code's 1e-30).</summary>
    public const double MinStdDev = 1e-30;

    /// <summary>ln of the density at <paramref name="x"/>.</summary>
    public double LogPdf(double x)
    {
        double sd = StdDev + MinStdDev;
        double z = (x - Mean) / sd;
        return -0.5 * z * z - Math.Log(sd) - HalfLog2Pi;
    }

    /// <summary>ln P[X &gt; x], accurate far into the upper tail.</summary>
    public double LogSurvival(double x) => Normal.LogCdf(-(x - Mean) / (StdDev + MinStdDev));

    /// <summary>Mean and population standard deviation of <paramref name="samples"/> (at least one).</summary>
    public static Gaussian Fit(IReadOnlyList<double> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0) throw new MemScanException("cannot fit a Gaussian to no samples");
        double mean = 0;
        foreach (double v in samples)
        {
            if (!double.IsFinite(v)) throw new MemScanException($"cannot fit a Gaussian to a non-finite sample ({v})");
            mean += v;
        }
        mean /= samples.Count;
        double squares = 0;
        foreach (double v in samples) squares += (v - mean) * (v - mean);
        return new Gaussian(mean, Math.Sqrt(squares / samples.Count));
    }
}
