using Xunit;
using MemScan.Scanner.Metrics;

namespace MemScan.Scanner.Tests.Metrics;

public class IncompleteBetaTests
{
    [Theory]
    [InlineData(0.4, 2, 3, 0.5248)]        // Beta(2,3) CDF = P[Binomial(4, 0.4) >= 2]
    [InlineData(0.3, 1, 1, 0.3)]           // uniform
    [InlineData(0.5, 7.5, 7.5, 0.5)]       // symmetric
    [InlineData(0.5, 400, 400, 0.5)]       // symmetric, large parameters
    [InlineData(0.2, 3, 1, 0.008)]         // x^a
    [InlineData(0.2, 1, 3, 0.488)]         // 1 - (1-x)^b
    public void Regularized_matches_closed_forms(double x, double a, double b, double expected) =>
        Assert.Equal(expected, IncompleteBeta.Regularized(x, a, b), 1e-12);

    [Theory]
    [InlineData(0.025, 1, 10)]
    [InlineData(0.5, 3.5, 0.7)]
    [InlineData(1e-8, 5, 500)]
    [InlineData(0.999, 200, 3)]
    public void Inverse_undoes_the_function(double p, double a, double b)
    {
        double x = IncompleteBeta.InverseRegularized(p, a, b);
        Assert.Equal(p, IncompleteBeta.Regularized(x, a, b), p * 1e-9);
    }

    [Fact]
    public void Log_gamma_matches_factorials()
    {
        Assert.Equal(Math.Log(3628800), GammaFunction.LogGamma(11), 1e-12);
        Assert.Equal(0.5 * Math.Log(Math.PI), GammaFunction.LogGamma(0.5), 1e-12);
        Assert.Equal(0, GammaFunction.LogGamma(1), 1e-14);
    }

    [Fact]
    public void Binomial_upper_tail_equals_the_sum_of_the_mass()
    {
        double sum = 0;
        for (int k = 7; k <= 30; k++) sum += Binomial.Pmf(k, 30, 0.3);
        Assert.Equal(sum, Binomial.AtLeast(7, 30, 0.3), 1e-12);
        Assert.Equal(1, Binomial.AtLeast(0, 30, 0.3));
        Assert.Equal(0, Binomial.AtLeast(31, 30, 0.3));
    }
}
