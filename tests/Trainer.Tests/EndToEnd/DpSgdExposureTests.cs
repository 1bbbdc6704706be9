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
