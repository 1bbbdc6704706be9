using MemScan.Trainer.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace MemScan.Trainer.Privacy;

/// <summary>
/// DP-SGD (Abadi et al. 2016) for the vision trainer's <see cref="SmallCnn"/>: each step draws a
/// Poisson batch (every image independently with q = batch / n, what the accountant analyzes),
/// computes every example's gradient on its own (TorchSharp has no per-sample gradients), clips
/// each to L2 norm C over all parameters, adds N(0, (σC)²) to the sum, divides by the expected
/// batch qn (not the drawn size, which would leak it) and hands that to Adam — post-processing of
/// a private gradient, so Adam's moments cost nothing. Deterministic: batch and noise of step s
/// come from (seed, s). Written for the CNN because the shared DP-SGD (branch modes) had not
/// reached main; see <see cref="VisionRdpAccountant"/>.
/// </summary>
public static class VisionDpSgd
{
    public sealed record Result(double FinalLoss, long Steps, double Epsilon, string Accountant);

    public static Result Train(SmallCnn model, Tensor images, Tensor labels, int epochs, int batchSize, double learningRate,
        double noiseMultiplier, double clipNorm, double delta, int seed, TextWriter? log, string name)
    {
        int n = (int)labels.shape[0];
        double q = Math.Min(1.0, (double)batchSize / n);
        long steps = (long)Math.Ceiling(epochs / q);
        var (epsilon, order) = VisionRdpAccountant.Epsilon(q, noiseMultiplier, steps, delta);
        log?.WriteLine($"  {name} DP-SGD: sigma {noiseMultiplier:G4}, clip {clipNorm:G4}, q {q:G4} (Poisson over {n} images), {steps} steps → epsilon {epsilon:G4} at delta {delta:G3}");
        var parameters = model.parameters().Where(p => p.requires_grad).ToArray();
        using var optimizer = optim.Adam(parameters, learningRate);
        var noise = new Generator((ulong)seed);
        double expected = q * n, lossEma = double.NaN;
        long reportEvery = Math.Max(1, steps / 5);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        model.train();
        for (long step = 1; step <= steps; step++)
        {
            using var scope = NewDisposeScope();
            var random = new Random(HashCode.Combine(seed, step, 0xd9));
            var batch = Enumerable.Range(0, n).Where(_ => random.NextDouble() < q).ToArray();
            var sums = parameters.Select(p => zeros_like(p)).ToArray();
            double lossSum = 0;
            foreach (int i in batch)
            {
                using var inner = NewDisposeScope();
                foreach (var p in parameters) p.grad?.zero_();
                var loss = nn.functional.cross_entropy(model.forward(images.narrow(0, i, 1)), labels.narrow(0, i, 1));
                loss.backward();
                lossSum += loss.item<float>();
                using (no_grad())
                {
                    var grads = parameters.Select(p => p.grad ?? zeros_like(p)).ToArray();
                    var norm = stack(grads.Select(g => g.square().sum()).ToArray()).sum().sqrt();
                    var factor = (clipNorm / (norm + 1e-6)).clamp_max(1.0); // the 1e-6 keeps a zero gradient finite
                    for (int k = 0; k < parameters.Length; k++) sums[k].add_(grads[k] * factor);
                }
            }
            using (no_grad())
            {
                for (int k = 0; k < parameters.Length; k++)
                {
                    var g = sums[k] + randn(sums[k].shape, generator: noise) * (noiseMultiplier * clipNorm);
                    parameters[k].grad = (g / expected).detach();
                }
            }
            optimizer.step();
            if (batch.Length > 0) lossEma = double.IsNaN(lossEma) ? lossSum / batch.Length : 0.9 * lossEma + 0.1 * lossSum / batch.Length;
            if (step % reportEvery == 0 || step == steps)
            {
                double rate = (double)step * expected / watch.Elapsed.TotalSeconds;
                log?.WriteLine($"  {name} step {step,5}/{steps}  loss {lossEma:F4}  {rate,7:F0} images/s  eta {(steps - step) * watch.Elapsed.TotalSeconds / step,4:F0}s");
            }
        }
        return new Result(lossEma, steps, epsilon, $"rdp-sampled-gaussian/integer-orders/balle2020 (order {order})");
    }
}
