using MemScan.Trainer.Privacy;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MemScan.Trainer.Tests.Privacy;

public class DpSgdOptimizerTests
{
    // A small generic module (not the LM): DP-SGD must work for anything with parameters.
    static (nn.Module<Tensor, Tensor> Model, Tensor X, Tensor Y) Problem(int n, float scale)
    {
        torch.manual_seed(5);
        var model = nn.Sequential(nn.Linear(6, 8), nn.Tanh(), nn.Linear(8, 3));
        var x = randn(n, 6) * scale;
        var y = randint(0, 3, n);
        return (model, x, y);
    }

    static Func<int, Tensor> ExampleLoss(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y, float lossScale = 1) =>
        i => nn.functional.cross_entropy(model.forward(x.narrow(0, i, 1)), y.narrow(0, i, 1)) * lossScale;

    static float[] Flat(nn.Module model) => model.parameters().SelectMany(p => p.detach().clone().data<float>().ToArray()).ToArray();

    static double Norm(float[] a, float[] b) => Math.Sqrt(a.Zip(b, (u, v) => (double)(u - v) * (u - v)).Sum());

    [Fact]
    public void With_no_noise_each_examples_clipped_contribution_bounds_the_summed_update()
    {
        const int n = 12;
        const double clip = 0.05;
        var (model, x, y) = Problem(n, scale: 5);
        var before = Flat(model);
        // SGD with lr 1 and the divisor 1 makes the update exactly minus the clipped sum.
        using var dp = new DpSgdOptimizer(model.parameters(), optim.SGD(model.parameters(), 1.0), new DpSgdSettings(0, clip, 1));
        var stats = dp.Step(n, ExampleLoss(model, x, y, lossScale: 50));
        double update = Norm(before, Flat(model));
        Assert.Equal(1.0, stats.ClippedFraction); // every example's gradient was above C: the bound is tight-ish
        Assert.True(stats.MeanGradientNorm > 10 * clip, $"mean per-example norm {stats.MeanGradientNorm}");
        Assert.True(update <= clip * n * (1 + 1e-4), $"update norm {update} exceeds C·n = {clip * n}");
        Assert.True(update > clip, $"update norm {update} is implausibly small");
    }

    [Fact]
    public void Each_clipped_gradient_has_norm_at_most_C_even_when_the_raw_gradient_is_huge()
    {
        var (model, x, y) = Problem(1, scale: 10);
        using var dp = new DpSgdOptimizer(model.parameters(), optim.SGD(model.parameters(), 1.0), new DpSgdSettings(0, 0.3, 1));
        using var scope = NewDisposeScope();
        var (sums, stats) = dp.ClippedGradientSum(1, ExampleLoss(model, x, y, lossScale: 1000));
        double norm = Math.Sqrt(sums.Sum(s => s.square().sum().item<float>()));
        Assert.True(stats.MeanGradientNorm > 100, $"raw norm {stats.MeanGradientNorm}");
        Assert.InRange(norm, 0.3 * (1 - 1e-4), 0.3 * (1 + 1e-5));
    }

    [Fact]
    public void Without_clipping_or_noise_the_step_equals_an_ordinary_mean_gradient_step()
    {
        const int n = 8;
        var (a, x, y) = Problem(n, scale: 1);
        var (b, _, _) = Problem(n, scale: 1); // same seed → same weights
        using var dp = new DpSgdOptimizer(a.parameters(), optim.SGD(a.parameters(), 0.5), new DpSgdSettings(0, 1e6, n));
        dp.Step(n, ExampleLoss(a, x, y));

        using var sgd = optim.SGD(b.parameters(), 0.5);
        sgd.zero_grad();
        nn.functional.cross_entropy(b.forward(x), y).backward();
        sgd.step();
        var fa = Flat(a);
        var fb = Flat(b);
        Assert.True(Norm(fa, fb) < 1e-5, $"DP step and batch step differ by {Norm(fa, fb)}");
    }

    [Fact]
    public void Noise_has_standard_deviation_sigma_times_C_over_the_expected_batch_size()
    {
        var (model, x, y) = Problem(1, scale: 1);
        var before = Flat(model);
        using var dp = new DpSgdOptimizer(model.parameters(), optim.SGD(model.parameters(), 1.0), new DpSgdSettings(2.0, 0.5, 4));
        using var gen = new Generator(7);
        dp.Step(0, ExampleLoss(model, x, y), gen); // empty Poisson batch: a pure-noise step
        var delta = before.Zip(Flat(model), (u, v) => (double)(v - u)).ToArray();
        double std = Math.Sqrt(delta.Sum(d => d * d) / delta.Length);
        Assert.InRange(std, 0.25 * 0.8, 0.25 * 1.2); // σC/B = 2·0.5/4 over 83 parameters
    }

    [Fact]
    public void Poisson_batches_are_deterministic_per_step_and_average_the_expected_size()
    {
        var sampler = new PoissonSampler(1000, 0.02, seed: 3);
        Assert.Equal(sampler.Sample(17), sampler.Sample(17));
        Assert.NotEqual(sampler.Sample(17), sampler.Sample(18));
        double mean = Enumerable.Range(0, 400).Average(s => sampler.Sample(s).Length);
        Assert.InRange(mean, 20 * 0.93, 20 * 1.07); // sd of the mean ≈ √20/√400 ≈ 0.22
    }
}
