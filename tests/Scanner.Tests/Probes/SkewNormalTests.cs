using MemScan.Scanner.Metrics;
using Xunit;

namespace MemScan.Scanner.Tests.Probes;

public class SkewNormalTests
{
    static double[] Sample(double location, double scale, double shape, int n, int seed)
    {
        var random = new Random(seed);
        double delta = shape / Math.Sqrt(1 + shape * shape);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return Enumerable.Range(0, n).Select(_ =>
        {
            double u0 = Gaussian(), u1 = Gaussian();
            return location + scale * (delta * Math.Abs(u0) + Math.Sqrt(1 - delta * delta) * u1);
        }).ToArray();
    }

    [Fact]
    public void Maximum_likelihood_fit_recovers_the_parameters_of_a_large_sample()
    {
        var fit = SkewNormal.Fit(Sample(10, 2, 4, 20_000, 1));
        Assert.InRange(fit.Location, 9.8, 10.2);
        Assert.InRange(fit.Scale, 1.85, 2.15);
        Assert.InRange(fit.Shape, 3.0, 5.5);
    }

    [Fact]
    public void Cdf_matches_the_empirical_fraction_and_stays_finite_deep_in_the_tail()
    {
        var samples = Sample(0, 1, -3, 50_000, 2);
        var fit = SkewNormal.Fit(samples);
        double x = -1.5;
        double empirical = samples.Count(v => v <= x) / (double)samples.Length;
        Assert.InRange(Math.Exp(fit.LogCdf(x)), empirical * 0.9, empirical * 1.1);
        double deep = fit.ExposureBits(-40);
        Assert.True(double.IsFinite(deep) && deep > 100, $"exposure at -40 is {deep}");
    }
}
