using Xunit;
using MemScan.Scanner.Metrics;

namespace MemScan.Scanner.Tests.Metrics;

public class ClopperPearsonTests
{
    [Fact]
    public void Zero_successes_of_ten_has_upper_bound_0_3085_at_95_percent()
    {
        var (lower, upper) = ClopperPearson.Interval(0, 10, 0.95);
        Assert.Equal(0, lower);
        Assert.Equal(1 - Math.Pow(0.025, 0.1), upper, 1e-9); // closed form when k = 0
        Assert.Equal(0.3085, upper, 4);
    }

    [Fact]
    public void Ten_successes_of_ten_has_lower_bound_0_6915_at_95_percent()
    {
        var (lower, upper) = ClopperPearson.Interval(10, 10, 0.95);
        Assert.Equal(0.6915, lower, 4);
        Assert.Equal(Math.Pow(0.025, 0.1), lower, 1e-9);
        Assert.Equal(1, upper);
    }

    [Theory]
    [InlineData(5, 10, 0.1870860, 0.8129140)]   // R: binom.test(5, 10)$conf.int
    [InlineData(1, 10, 0.002528579, 0.4450161)] // R: binom.test(1, 10)$conf.int
    [InlineData(50, 100, 0.3983211, 0.6016789)] // R: binom.test(50, 100)$conf.int
    public void Two_sided_interval_matches_published_values(int k, int n, double lower, double upper)
    {
        var interval = ClopperPearson.Interval(k, n, 0.95);
        Assert.Equal(lower, interval.Lower, 6);
        Assert.Equal(upper, interval.Upper, 6);
    }

    [Fact]
    public void Bounds_are_symmetric_under_swapping_successes_and_failures()
    {
        for (int k = 0; k <= 20; k++)
        {
            var a = ClopperPearson.Interval(k, 20, 0.9);
            var b = ClopperPearson.Interval(20 - k, 20, 0.9);
            Assert.Equal(a.Lower, 1 - b.Upper, 1e-12);
            Assert.Equal(a.Upper, 1 - b.Lower, 1e-12);
        }
    }

    [Fact]
    public void The_lower_bound_is_the_proportion_whose_upper_tail_equals_alpha()
    {
        // by definition: P[Binomial(n, lower) >= k] = alpha
        double lower = ClopperPearson.LowerBound(37, 200, 0.01);
        Assert.Equal(0.01, Binomial.AtLeast(37, 200, lower), 1e-10);
        double upper = ClopperPearson.UpperBound(37, 200, 0.01);
        Assert.Equal(0.01, 1 - Binomial.AtLeast(38, 200, upper), 1e-10);
    }

    [Fact]
    public void Successes_beyond_the_trials_are_rejected_with_the_numbers()
    {
        var e = Assert.Throws<MemScanException>(() => ClopperPearson.Interval(11, 10));
        Assert.Contains("11 of 10", e.Message);
    }
}
