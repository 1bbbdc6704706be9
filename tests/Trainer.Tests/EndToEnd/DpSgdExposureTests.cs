using MemScan.Trainer.Tests.Claims;
using Xunit;

namespace MemScan.Trainer.Tests.EndToEnd;

public class DpSgdExposureTests(DpSgdExposureFixture fixture) : IClassFixture<DpSgdExposureFixture>
{
    [Fact]
    public void DP_SGD_at_epsilon_8_gives_a_canary_inserted_64_times_much_lower_exposure_than_standard_training()
    {
        double standard = fixture.StandardExposure.ExposureBits, dp = fixture.PrivateExposure.ExposureBits;
        string numbers = $"standard {standard:F2} bits (rank {fixture.StandardExposure.Rank}), " +
                         $"DP-SGD {dp:F2} bits (rank {fixture.PrivateExposure.Rank}), epsilon {fixture.Private.Manifest.Training.Epsilon:F2}, " +
                         $"sigma {fixture.Private.Manifest.Training.NoiseMultiplier:F3}, q {fixture.Private.Manifest.Training.SamplingRate:F4}, " +
                         $"final loss {fixture.Standard.Training.FinalLoss:F3} vs {fixture.Private.Training.FinalLoss:F3} nats/char";
        TestContext.Current.TestOutputHelper?.WriteLine(numbers);
        Assert.True(standard >= 15, "the standard model should memorize the canary: " + numbers);
        Assert.True(dp < standard / 2, "DP-SGD should at least halve the exposure: " + numbers);
    }

    /// <summary>README, DP-SGD paragraph: 19.9 bits (rank 1) vs 4.5 bits (rank 44,659) at ε = 8 (σ = 0.58, q = 0.013).</summary>
    [Fact]
    [Trait("tier", "claims")]
    public void The_readme_dp_sgd_figures_are_regenerated_at_their_printed_values()
    {
        // one torch thread, seeded weights, windows, Poisson batches and noise: the ranks are exact
        var t = fixture.Private.Manifest.Training;
        PrintedFigures.AssertPrinted("README.md",
        [
            FormattableString.Invariant($"has **{fixture.StandardExposure.ExposureBits:F1} bits** of exposure (rank {fixture.StandardExposure.Rank:N0} of 10^6)"),
            FormattableString.Invariant($"**{fixture.PrivateExposure.ExposureBits:F1} bits** (rank {fixture.PrivateExposure.Rank:N0}) under DP-SGD at ε = {t.Epsilon:F0}, δ = {t.Delta:0e0} (σ = {t.NoiseMultiplier:F2}, q = {t.SamplingRate:F3})"),
        ]);
    }

    [Fact]
    public void The_DP_manifest_records_mode_epsilon_delta_noise_and_clip_norm()
    {
        var t = fixture.Private.Manifest.Training;
        Assert.Equal("dp-sgd", t.Mode);
        Assert.NotNull(t.Epsilon);
        Assert.InRange(t.Epsilon!.Value, 7.9, 8.0);
        Assert.Equal(1e-5, t.Delta);
        Assert.Equal(1.0, t.ClipNorm);
        Assert.True(t.NoiseMultiplier > 0.3, $"noise multiplier {t.NoiseMultiplier}");
        Assert.Equal("poisson", t.Sampling);
        Assert.StartsWith("rdp-sampled-gaussian/improved", t.Accountant);
        Assert.Equal("standard", fixture.Standard.Manifest.Training.Mode);
        Assert.Null(fixture.Standard.Manifest.Training.Epsilon);
    }
}
