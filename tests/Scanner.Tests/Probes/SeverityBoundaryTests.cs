using MemScan.Scanner.Canaries;
using MemScan.Scanner.Metrics;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Probes.Extraction;
using MemScan.Scanner.Probes.Membership;
using MemScan.Scanner.Probes.Vision;
using MemScan.Scanner.Results;
using Xunit;

namespace MemScan.Scanner.Tests.Probes;

/// <summary>Every severity threshold the README states, held at the threshold and one step below it.</summary>
public class SeverityBoundaryTests
{
    static double Below(double x) => Math.BitDecrement(x);

    [Theory]
    [InlineData(0.9, Severity.Critical, Severity.High)]
    [InlineData(0.6, Severity.High, Severity.Medium)]
    [InlineData(0.35, Severity.Medium, Severity.Low)]
    [InlineData(0.2, Severity.Low, Severity.Info)]
    public void Exposure_severity_changes_exactly_at_its_fraction_of_the_maximum(double fraction, Severity at, Severity below)
    {
        const double max = 64; // a power of two: bits / max is the fraction exactly; 0.2 × 64 bits is above the 4-bit floor of low
        Assert.Equal(at, ExposureSeverity.For(fraction * max, max, rank: 1000));
        Assert.Equal(below, ExposureSeverity.For(Below(fraction * max), max, rank: 1000));
    }

    [Fact]
    public void Exposure_is_critical_at_rank_one_and_low_needs_four_bits()
    {
        Assert.Equal(Severity.Critical, ExposureSeverity.For(1, 19.9, rank: 1));
        Assert.Equal(Severity.Low, ExposureSeverity.For(4, 19.9, rank: 50_000));        // 4 / 19.9 ≥ 0.2
        Assert.Equal(Severity.Info, ExposureSeverity.For(Below(4), 19.9, rank: 50_000));
        Assert.Equal(Severity.Info, ExposureSeverity.For(3.9, 16, rank: 4_000));       // 0.24 of the maximum, under 4 bits
    }

    [Theory]
    [InlineData(1L, Severity.Critical)]
    [InlineData(2L, Severity.High)]
    [InlineData(10L, Severity.High)]
    [InlineData(11L, Severity.Medium)]
    [InlineData(1000L, Severity.Medium)]
    [InlineData(1001L, Severity.Low)]
    [InlineData(9_999L, Severity.Low)]     // |R|/100 = 10,000
    [InlineData(10_000L, Severity.Info)]
    public void Extraction_with_its_secret_is_rated_by_the_order_it_came_out(long order, Severity expected)
    {
        var canary = Canary.Create("pin", "my pin is {secret}", "123456", RandomnessSpace.Parse("digits:6"), 4);
        var result = new ExtractionResult(canary, [], order, Queries: 5000, Seconds: 0, BudgetExhausted: false);
        Assert.Equal(expected, ExtractionProbe.ToFinding(result).Severity);
    }

    [Theory]
    [InlineData(0.9, Severity.Critical, Severity.High)]
    [InlineData(0.6, Severity.High, Severity.Medium)]
    [InlineData(0.35, Severity.Medium, Severity.Low)]
    [InlineData(0.2, Severity.Low, Severity.Info)]
    public void Secret_free_severity_changes_exactly_at_its_lift_thresholds(double fraction, Severity at, Severity below)
    {
        Assert.Equal(at, SecretFreeSeverity.For(fraction));
        Assert.Equal(below, SecretFreeSeverity.For(Below(fraction)));
    }

    [Fact]
    public void Secret_free_lift_is_the_top_completions_advantage_over_a_uniform_guess_as_a_share_of_log2_R()
    {
        // The char model: the 64× secret came out first, 2.7 bits, in a 10^8 space: 23.9 of 26.6 bits, high, not info.
        double log2Space = Math.Log2(1e8);
        Assert.Equal((log2Space - 2.7) / log2Space, SecretFreeSeverity.LiftFraction(2.7, log2Space), 12);
        Assert.Equal(Severity.High, SecretFreeSeverity.For(SecretFreeSeverity.LiftFraction(2.7, log2Space)));
        // A top completion no likelier than a uniform guess has no lift at all.
        Assert.Equal(0, SecretFreeSeverity.LiftFraction(log2Space, log2Space), 12);
        Assert.True(SecretFreeSeverity.LiftFraction(32.4, Math.Log2(1e6)) < 0);
    }

    static MiaSummary Mia(double tpr1, double tpr01, double aucLow = 0.5) => new() { TprAt1PctFpr = tpr1, TprAt0Point1PctFpr = tpr01, AucLow = aucLow };

    [Fact]
    public void Mia_severity_changes_exactly_at_its_tpr_thresholds()
    {
        Assert.Equal(Severity.Critical, MiaSeverity.Of(Mia(0.6, 0.5)));
        Assert.Equal(Severity.High, MiaSeverity.Of(Mia(0.6, Below(0.5))));
        Assert.Equal(Severity.High, MiaSeverity.Of(Mia(0.2, 0.10)));
        Assert.Equal(Severity.Medium, MiaSeverity.Of(Mia(0.2, Below(0.10))));
        Assert.Equal(Severity.Medium, MiaSeverity.Of(Mia(0.10, 0)));
        Assert.Equal(Severity.Low, MiaSeverity.Of(Mia(Below(0.10), 0)));
        Assert.Equal(Severity.Low, MiaSeverity.Of(Mia(0.03, 0)));
        Assert.Equal(Severity.Info, MiaSeverity.Of(Mia(Below(0.03), 0)));
        Assert.Equal(Severity.Low, MiaSeverity.Of(Mia(0, 0, aucLow: 0.5501)));
        Assert.Equal(Severity.Info, MiaSeverity.Of(Mia(0, 0, aucLow: 0.55)));
    }

    [Fact]
    public void Vision_severities_change_exactly_at_their_thresholds()
    {
        Assert.Equal(Severity.Critical, VisionSeverity.Mia(0.5, 0.5));
        Assert.Equal(Severity.High, VisionSeverity.Mia(Below(0.5), 0.5));
        Assert.Equal(Severity.High, VisionSeverity.Mia(0.2, 0.5));
        Assert.Equal(Severity.Medium, VisionSeverity.Mia(Below(0.2), 0.5));
        Assert.Equal(Severity.Medium, VisionSeverity.Mia(0.05, 0.5));
        Assert.Equal(Severity.Low, VisionSeverity.Mia(Below(0.05), 0.5));
        Assert.Equal(Severity.Low, VisionSeverity.Mia(0.02, 0.5));
        Assert.Equal(Severity.Info, VisionSeverity.Mia(Below(0.02), Below(0.6)));
        Assert.Equal(Severity.Low, VisionSeverity.Mia(0, 0.6));

        Assert.Equal(Severity.Critical, VisionSeverity.Audit(1.01, 10, claimedEpsilon: 1));
        Assert.Equal(Severity.Low, VisionSeverity.Audit(1.0, 10, claimedEpsilon: 1));        // not above the claim; 0.1 of the ceiling
        Assert.Equal(Severity.Info, VisionSeverity.Audit(0, 10, claimedEpsilon: null));
        Assert.Equal(Severity.Critical, VisionSeverity.Audit(9, 10, null));
        Assert.Equal(Severity.High, VisionSeverity.Audit(Below(9), 10, null));
        Assert.Equal(Severity.High, VisionSeverity.Audit(5, 10, null));
        Assert.Equal(Severity.Medium, VisionSeverity.Audit(Below(5), 10, null));
        Assert.Equal(Severity.Medium, VisionSeverity.Audit(2.5, 10, null));
        Assert.Equal(Severity.Low, VisionSeverity.Audit(Below(2.5), 10, null));

        Assert.Equal(Severity.High, VisionSeverity.Memorization(0.5));
        Assert.Equal(Severity.Medium, VisionSeverity.Memorization(Below(0.5)));
        Assert.Equal(Severity.Medium, VisionSeverity.Memorization(0.2));
        Assert.Equal(Severity.Low, VisionSeverity.Memorization(Below(0.2)));
        Assert.Equal(Severity.Low, VisionSeverity.Memorization(0.05));
        Assert.Equal(Severity.Info, VisionSeverity.Memorization(Below(0.05)));
    }
}
