using MemScan.Scanner.Models;
using MemScan.Scanner.Sweeps;
using Xunit;

namespace MemScan.Scanner.Tests.Sweeps;

public class SamplingTests
{
    static readonly float[] LogProbs = [MathF.Log(0.05f), MathF.Log(0.4f), MathF.Log(0.3f), MathF.Log(0.05f), MathF.Log(0.2f)];

    [Fact]
    public void Top_k_only_ever_draws_the_k_most_likely_tokens()
    {
        var drawn = Enumerable.Range(0, 2000).Select(i => TopKSampler.Sample(LogProbs, 2, 1.0, SampleRandom.Uniform(1, i, 1, 0))).ToHashSet();

        Assert.Equal([1, 2], drawn.Order());
        Assert.Equal([1, 2, 4], TopNextLogProbs.TopIndices(LogProbs, 3));
        Assert.Equal(1, TopKSampler.Sample(LogProbs, 1, 1.0, 0.999));
    }

    [Fact]
    public void Within_the_top_k_tokens_are_drawn_in_proportion_to_their_tempered_probability()
    {
        // top-2 of {0.4, 0.3} at t = 1: token 1 with 4/7 = 0.571
        int ones = Enumerable.Range(0, 20000).Count(i => TopKSampler.Sample(LogProbs, 2, 1.0, SampleRandom.Uniform(2, i, 1, 0)) == 1);
        Assert.InRange(ones / 20000.0, 0.55, 0.59);
        // t = 10 flattens: 0.4^0.1 / (0.4^0.1 + 0.3^0.1) = 0.507
        int flat = Enumerable.Range(0, 20000).Count(i => TopKSampler.Sample(LogProbs, 2, 10.0, SampleRandom.Uniform(3, i, 1, 0)) == 1);
        Assert.InRange(flat / 20000.0, 0.49, 0.525);
    }

    [Fact]
    public void The_decaying_temperature_falls_linearly_from_its_start_to_the_final_value()
    {
        var t = new TemperatureSchedule(1.0, Start: 10.0, DecayTokens: 20);

        Assert.Equal(10.0, t.At(0));
        Assert.Equal(5.5, t.At(10), 12);
        Assert.Equal(1.0, t.At(20));
        Assert.Equal(1.0, t.At(200));
        Assert.Equal(2.0, TemperatureSchedule.Constant(2.0).At(0));
    }

    [Fact]
    public void Draws_depend_only_on_seed_sample_stream_and_step()
    {
        Assert.Equal(SampleRandom.Uniform(5, 17, 1, 3), SampleRandom.Uniform(5, 17, 1, 3));
        Assert.NotEqual(SampleRandom.Uniform(5, 17, 1, 3), SampleRandom.Uniform(5, 18, 1, 3));
        Assert.NotEqual(SampleRandom.Uniform(5, 17, 1, 3), SampleRandom.Uniform(6, 17, 1, 3));
        Assert.NotEqual(SampleRandom.Uniform(5, 17, 1, 3), SampleRandom.Uniform(5, 17, 2, 3));
        Assert.InRange(Enumerable.Range(0, 10000).Average(i => SampleRandom.Uniform(9, i, 1, 0)), 0.49, 0.51);
    }

    [Fact]
    public void The_window_minimum_is_the_lowest_mean_loss_of_any_w_consecutive_tokens()
    {
        float[] lp = [-3, -3, -0.1f, -0.1f, -3, -3];

        Assert.Equal(0.1, WindowPerplexity.MinMeanLoss(lp, 2), 6);
        Assert.Equal((0.1 + 0.1 + 3) / 3, WindowPerplexity.MinMeanLoss(lp, 3), 6);
        Assert.Equal((3 * 4 + 0.2) / 6, WindowPerplexity.MinMeanLoss(lp, 50), 6);
    }
}
