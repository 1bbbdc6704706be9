using MemScan.Scanner;
using MemScan.Trainer.Privacy;
using Xunit;

namespace MemScan.Trainer.Tests.Privacy;

public class RdpAccountantTests
{
    // The grid of TF Privacy's mnist_dpsgd_tutorial.py compute_epsilon and of Opacus's RDPAccountant.
    static readonly double[] TutorialOrders = [.. Enumerable.Range(1, 99).Select(x => 1 + x / 10.0), .. Enumerable.Range(12, 52).Select(x => (double)x)];

    // TF Privacy tutorials/README.md: MNIST, N = 60000, batch 256, delta = 1e-5; the tutorial takes
    // epoch * 60000 // 256 steps. Published to two decimals, so a correct accountant is within 0.005
    // (plus float noise) with the same orders and the classic conversion those figures used.
    [Theory]
    [InlineData(1.1, 60, 3.01)]
    [InlineData(1.1, 1, 1.03)]
    [InlineData(1.1, 2, 1.11)]
    [InlineData(1.3, 15, 1.19)]
    [InlineData(0.7, 45, 7.10)]
    public void The_classic_conversion_reproduces_TF_Privacy_published_MNIST_epsilons(double sigma, int epochs, double published)
    {
        long steps = epochs * 60000L / 256;
        var spent = RdpAccountant.Epsilon(256 / 60000.0, sigma, steps, 1e-5, EpsilonConversion.Classic, TutorialOrders);
        Assert.True(Math.Abs(spent.Epsilon - published) <= 0.0051, $"epsilon {spent.Epsilon:F4} (order {spent.Order}) vs published {published}");
    }

    // Opacus opacus/tests/accountants_test.py test_rdp_accountant: assertAlmostEqual (7 places) to
    // 7.32911117143 with the improved (Balle et al. 2020) conversion; its best order is fractional.
    [Fact]
    public void The_improved_conversion_reproduces_Opacus_reference_epsilon()
    {
        long steps = (long)(90 / 0.04);
        var spent = RdpAccountant.Epsilon(0.04, 1.5, steps, 1e-5, EpsilonConversion.Improved, TutorialOrders);
        Assert.True(Math.Abs(spent.Epsilon - 7.32911117143) < 1e-6, $"epsilon {spent.Epsilon:F10} (order {spent.Order})");
    }

    // Opacus test_get_noise_multiplier: 1.425307617 from a bisection stopped at width 0.01.
    [Fact]
    public void Noise_for_a_target_epsilon_matches_Opacus_and_meets_the_target()
    {
        long steps = (long)(90 / 0.04);
        double sigma = RdpAccountant.NoiseMultiplierFor(8, 1e-5, 0.04, steps, EpsilonConversion.Improved, TutorialOrders);
        Assert.True(Math.Abs(sigma - 1.425307617) < 0.01, $"sigma {sigma}");
        double eps = RdpAccountant.Epsilon(0.04, sigma, steps, 1e-5, EpsilonConversion.Improved, TutorialOrders).Epsilon;
        Assert.InRange(eps, 8 - 1e-3, 8);
    }

    [Fact]
    public void Improved_conversion_is_never_looser_than_classic_and_composition_is_additive()
    {
        var once = new RdpAccountant().Compose(0.01, 1.0, 500);
        var twice = new RdpAccountant().Compose(0.01, 1.0, 250).Compose(0.01, 1.0, 250);
        for (int i = 0; i < once.Rdp.Count; i++) Assert.Equal(once.Rdp[i], twice.Rdp[i], 1e-9);
        Assert.True(once.GetPrivacySpent(1e-5).Epsilon <= once.GetPrivacySpent(1e-5, EpsilonConversion.Classic).Epsilon);
        Assert.Equal(500, twice.Steps);
    }

    [Theory]
    [InlineData(0.01, 1.1, 2.5)]
    [InlineData(0.1, 0.8, 1.5)]
    [InlineData(0.05, 2.0, 7.25)]
    public void Fractional_orders_agree_with_direct_numerical_integration(double q, double sigma, double alpha)
    {
        // A_α = ∫ N(z; 0, σ²) ((1 − q) + q e^{(2z − 1)/(2σ²)})^α dz, by the trapezoid rule in log space.
        double h = 1e-3, logA = double.NegativeInfinity;
        for (double z = -40 * sigma; z <= 40 * sigma + alpha; z += h)
        {
            double logMu0 = -z * z / (2 * sigma * sigma) - Math.Log(sigma * Math.Sqrt(2 * Math.PI));
            double logRatio = Math.Log((1 - q) + q * Math.Exp((2 * z - 1) / (2 * sigma * sigma)));
            logA = LogAdd(logA, logMu0 + alpha * logRatio + Math.Log(h));
        }
        double closedForm = RdpAccountant.LogAFractionalOrder(q, sigma, alpha);
        Assert.True(Math.Abs(closedForm - logA) < 1e-7 * Math.Max(1, Math.Abs(logA)), $"series {closedForm:G12} vs integral {logA:G12}");
    }

    [Fact]
    public void Fractional_orders_join_the_integer_orders_continuously()
    {
        foreach (double alpha in new[] { 2.0, 3.0, 8.0, 32.0 })
        {
            double atInteger = RdpAccountant.ComputeRdp(0.02, 1.2, alpha);
            double justBelow = RdpAccountant.ComputeRdp(0.02, 1.2, alpha - 1e-7);
            Assert.True(Math.Abs(atInteger - justBelow) < 1e-5 * Math.Max(1e-3, atInteger), $"alpha {alpha}: {atInteger:G10} vs {justBelow:G10}");
        }
    }

    [Theory]
    [InlineData(0.5, 0.4795001221869535)]
    [InlineData(1.0, 0.15729920705028513)]
    [InlineData(2.0, 0.004677734981047266)]
    [InlineData(3.0, 2.209049699858544e-05)]
    [InlineData(5.0, 1.5374597944280349e-12)]
    [InlineData(-1.0, 1.8427007929497148)]
    public void Log_erfc_matches_reference_values(double x, double erfc)
    {
        Assert.Equal(Math.Log(erfc), LogMath.LogErfc(x), 1e-12);
    }

    [Fact]
    public void Edge_cases_no_sampling_no_noise_and_unreachable_targets()
    {
        Assert.Equal(0, RdpAccountant.ComputeRdp(0, 1, 2));
        Assert.True(double.IsPositiveInfinity(RdpAccountant.ComputeRdp(0.1, 0, 2)));
        Assert.Equal(3 / (2 * 1.5 * 1.5), RdpAccountant.ComputeRdp(1, 1.5, 3), 12);
        var e = Assert.Throws<MemScanException>(() => RdpAccountant.NoiseMultiplierFor(1e-9, 1e-5, 1.0, 1_000_000));
        Assert.Contains("1E-09", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    static double LogAdd(double a, double b) => Math.Max(a, b) + Math.Log(1 + Math.Exp(Math.Min(a, b) - Math.Max(a, b)));
}
