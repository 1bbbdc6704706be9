using MemScan.Trainer.Privacy;
using Xunit;

namespace MemScan.Trainer.Tests.Vision;

public class VisionRdpAccountantTests
{
    [Fact]
    public void Epsilon_of_the_tf_privacy_mnist_tutorial_setting_is_about_three()
    {
        // TF Privacy's MNIST tutorial: 60,000 images, batch 256, sigma 1.1, 60 epochs, delta 1e-5 → epsilon ≈ 3 (classic conversion 3.01; Balle's is a little lower).
        double q = 256.0 / 60000;
        var (epsilon, _) = VisionRdpAccountant.Epsilon(q, 1.1, (long)Math.Ceiling(60 / q), 1e-5);
        Assert.InRange(epsilon, 2.5, 3.1);
    }

    [Fact]
    public void Epsilon_falls_with_more_noise_and_rises_with_more_steps()
    {
        var (a, _) = VisionRdpAccountant.Epsilon(0.1, 1.0, 100, 1e-5);
        var (b, _) = VisionRdpAccountant.Epsilon(0.1, 2.0, 100, 1e-5);
        var (c, _) = VisionRdpAccountant.Epsilon(0.1, 1.0, 400, 1e-5);
        Assert.True(b < a && a < c, $"{b} < {a} < {c}");
        Assert.Equal(double.PositiveInfinity, VisionRdpAccountant.Epsilon(0.1, 0, 10, 1e-5).Epsilon);
    }
}
