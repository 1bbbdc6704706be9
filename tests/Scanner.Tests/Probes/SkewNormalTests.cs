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

    [Theory]
    [InlineData(0.0)]
    [InlineData(4.0)]
    [InlineData(-4.0)]
    public void A_value_far_above_the_location_has_cdf_one_and_exposure_near_zero(double shape)
    {
        // The secret less likely than every sampled candidate: 50 to 1000 scales above the
        // location. The CDF is ~1 (exposure ~0 bits), not ~0 (hundreds of bits).
        var d = new SkewNormal(10, 2, shape);
        foreach (double x in new[] { 10 + 50 * 2.0, 10 + 1000 * 2.0 })
        {
            Assert.InRange(d.ExposureBits(x), 0, 1e-6);
            Assert.InRange(d.LogCdf(x), -1e-6, 0);
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(4.0)]
    [InlineData(-4.0)]
    public void Exposure_falls_monotonically_across_the_whole_range_and_is_continuous_at_the_location(double shape)
    {
        var d = new SkewNormal(0, 1, shape);
        double previous = double.PositiveInfinity;
        for (double x = -60; x <= 60; x += 0.25)
        {
            double bits = d.ExposureBits(x);
            Assert.True(bits <= previous + 1e-9, $"exposure rises from {previous} to {bits} bits at x = {x}");
            previous = bits;
        }
        // Either side of the location the two tails must meet: CDF(location) of the skew normal is
        // 1/2 - arctan(shape)/pi (Azzalini), computed here once from below and once from above.
        double expected = 0.5 - Math.Atan(shape) / Math.PI;
        Assert.Equal(expected, Math.Exp(d.LogCdf(0)), 5);
        Assert.Equal(expected, Math.Exp(d.LogCdf(1e-9)), 5);
    }
}
