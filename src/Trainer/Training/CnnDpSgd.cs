using MemScan.Trainer.Models;
using MemScan.Trainer.Privacy;
using TorchSharp;
using static TorchSharp.torch;

namespace MemScan.Trainer.Training;

/// <summary>
/// The CNN trainer's dp-sgd mode on the shared DP-SGD pieces: Poisson batches over the training
/// images (what the accountant analyses), one image per example in <see cref="DpSgdOptimizer"/>,
/// noise drawn per step from (seed, step), ε from <see cref="RdpAccountant"/>.
/// </summary>
public static class CnnDpSgd
{
    public sealed record Result(double FinalLoss, long Steps, double Epsilon, string Accountant);

    public static Result Train(SmallCnn model, Tensor images, Tensor labels, CnnTrainConfig config, int seed, TextWriter? log, string name)
    {
        int n = (int)labels.shape[0];
        double q = Math.Min(1.0, (double)config.BatchSize / n);
        long steps = (long)Math.Ceiling(config.Epochs / q);
        var spent = RdpAccountant.Epsilon(q, config.NoiseMultiplier, steps, config.Delta);
        log?.WriteLine($"  {name} DP-SGD: sigma {config.NoiseMultiplier:G4}, clip {config.ClipNorm:G4}, q {q:G4} (Poisson over {n} images), {steps} steps → epsilon {spent.Epsilon:G4} at delta {config.Delta:G3}");

        var parameters = model.parameters().Where(p => p.requires_grad).ToArray();
        var sampler = new PoissonSampler(n, q, seed);
        using var dp = new DpSgdOptimizer(parameters, optim.Adam(parameters, config.LearningRate),
            new DpSgdSettings(config.NoiseMultiplier, config.ClipNorm, sampler.ExpectedBatchSize));
        double lossEma = double.NaN;
        long reportEvery = Math.Max(1, steps / 5);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        model.train();
        for (long step = 1; step <= steps; step++)
        {
            var batch = sampler.Sample(step);
            using var noise = new Generator((ulong)StepSeed.For(seed, step, salt: 0xd9));
            var stats = dp.Step(batch.Length,
                i => nn.functional.cross_entropy(model.forward(images.narrow(0, batch[i], 1)), labels.narrow(0, batch[i], 1)), noise);
            if (batch.Length > 0) lossEma = double.IsNaN(lossEma) ? stats.MeanLoss : 0.9 * lossEma + 0.1 * stats.MeanLoss;
            if (step % reportEvery == 0 || step == steps)
            {
                double rate = step * sampler.ExpectedBatchSize / watch.Elapsed.TotalSeconds;
                log?.WriteLine($"  {name} step {step,5}/{steps}  loss {lossEma:F4}  {rate,7:F0} images/s  eta {(steps - step) * watch.Elapsed.TotalSeconds / step,4:F0}s");
            }
        }
        return new Result(lossEma, steps, spent.Epsilon,
            $"rdp-sampled-gaussian/{spent.Conversion.ToString().ToLowerInvariant()}-conversion (order {spent.Order:G4})");
    }
}
