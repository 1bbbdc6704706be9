namespace MemScan.Scanner.Metrics;

/// <summary>
/// log1p, expm1 and friends without cancellation (.NET's <c>double.LogP1</c> is plain
/// <c>Log(1 + x)</c>). The log1p/expm1 forms are Goldberg's and Kahan's classic corrections.
/// </summary>
public static class StableMath
{
    /// <summary>ln(1 + x), accurate for tiny x.</summary>
    public static double Log1P(double x)
    {
        double u = 1 + x;
        if (u == 1) return x;
        if (double.IsInfinity(u)) return Math.Log(u);
        return Math.Log(u) * x / (u - 1);
    }

    /// <summary>e^x - 1, accurate for tiny x.</summary>
    public static double ExpM1(double x)
    {
        if (Math.Abs(x) > 0.5) return Math.Exp(x) - 1;
        double u = Math.Exp(x);
        if (u == 1) return x;
        return (u - 1) * x / Math.Log(u);
    }

    /// <summary>ln(1 - e^x) for x ≤ 0 (Mächler 2012, "Accurately Computing log(1 - exp(-|a|))").</summary>
    public static double Log1MExp(double x)
    {
        if (x > 0) throw new ArgumentOutOfRangeException(nameof(x), x, $"ln(1 - e^x) needs x <= 0, got {x}");
        return x > -Math.Log(2) ? Math.Log(-ExpM1(x)) : Log1P(-Math.Exp(x));
    }

    /// <summary>ln Σ e^xᵢ, shifted by the maximum so nothing overflows.</summary>
    public static double LogSumExp(ReadOnlySpan<double> values)
    {
        double max = double.NegativeInfinity;
        foreach (double v in values) if (v > max) max = v;
        if (double.IsNegativeInfinity(max) || double.IsPositiveInfinity(max)) return max;
        double sum = 0;
        foreach (double v in values) sum += Math.Exp(v - max);
        return max + Math.Log(sum);
    }
}
