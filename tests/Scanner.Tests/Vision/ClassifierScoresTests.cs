using MemScan.Scanner.Probes.Vision;
using MemScan.Scanner.Vision;
using Xunit;

namespace MemScan.Scanner.Tests.Vision;

public class ClassifierScoresTests
{
    [Fact]
    public void Loss_entropy_and_modified_entropy_match_their_definitions()
    {
        float[] logits = [2f, 0.5f, -1f];
        double[] e = logits.Select(z => Math.Exp(z)).ToArray();
        double[] p = e.Select(x => x / e.Sum()).ToArray();
        var s = ClassifierScores.Of(logits, 1);
        Assert.Equal(-Math.Log(p[1]), s.Loss, 12);
        Assert.Equal(p[1], s.Confidence, 12);
        Assert.Equal(-p.Sum(x => x * Math.Log(x)), s.Entropy, 12);
        // Song & Mittal: −(1 − p_y) log p_y − Σ_{i≠y} p_i log(1 − p_i)
        double mentr = -(1 - p[1]) * Math.Log(p[1]) - p[0] * Math.Log(1 - p[0]) - p[2] * Math.Log(1 - p[2]);
        Assert.Equal(mentr, s.ModifiedEntropy, 12);
        Assert.Equal(0, s.Predicted);
        Assert.Equal(Math.Log(p[1] / (1 - p[1])), s.Phi, 10);
    }

    [Fact]
    public void A_saturated_confident_wrong_prediction_keeps_finite_ordered_scores()
    {
        var wrong = ClassifierScores.Of([60f, -60f], 1);
        var right = ClassifierScores.Of([60f, -60f], 0);
        Assert.True(double.IsFinite(wrong.ModifiedEntropy) && double.IsFinite(wrong.Loss));
        Assert.True(wrong.ModifiedEntropy > right.ModifiedEntropy);
        Assert.True(wrong.Loss > 100);
    }

    [Fact]
    public void Pad_right_fitting_keeps_the_aspect_ratio_and_gray_becomes_three_equal_channels()
    {
        var strip = ImageSet.Create("strip", Enumerable.Repeat(1f, 10 * 20).ToArray(), 1, 10, 20, [null]);
        var fitted = ImageFitter.Fit(strip, 3, 20, 80, ClassifierProfile.PadRight);
        Assert.Equal((3, 20, 80), (fitted.Channels, fitted.Height, fitted.Width));
        var image = fitted.Image(0);
        Assert.Equal(1f, image[5 * 80 + 39]);      // inside the scaled 20×40 strip
        Assert.Equal(0f, image[5 * 80 + 40]);      // padding
        Assert.Equal(image[5 * 80 + 10], image[2 * 1600 + 5 * 80 + 10]);
    }
}
