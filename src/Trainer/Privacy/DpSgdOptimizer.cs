using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MemScan.Trainer.Privacy;

/// <summary>
/// DP-SGD (Abadi et al. 2016) around any inner optimizer (Adam, AdamW, SGD) and any module: per
/// example, gradients are computed one example at a time (TorchSharp has no vmap or per-sample
/// gradient hooks), clipped to total L2 norm C over all trainable parameters and summed; Gaussian
/// noise N(0, (σC)²) is added to the sum, which is divided by the expected batch size and handed to
/// the inner optimizer as the gradient. Because the inner optimizer only sees the privatized
/// gradient, its own state (Adam moments) is post-processing and costs no privacy.
/// <para>
/// The caller supplies the examples as a function from index to that example's scalar loss, so a
/// char-LSTM (one sequence) and a CNN (one image) use it alike. Batches must be drawn with
/// <see cref="PoissonSampler"/> for <see cref="RdpAccountant"/>'s ε to hold; an empty batch still
/// takes a (pure noise) step, as the analysis assumes.
/// </para>
/// </summary>
public sealed class DpSgdOptimizer : IDisposable
{
    readonly Parameter[] parameters;

    /// <param name="parameters">The trainable parameters (those with requires_grad); the same ones the inner optimizer updates.</param>
    public DpSgdOptimizer(IEnumerable<Parameter> parameters, optim.Optimizer inner, DpSgdSettings settings)
    {
        settings.Validate();
        this.parameters = parameters.Where(p => p.requires_grad).ToArray();
        if (this.parameters.Length == 0) throw new ArgumentException("DP-SGD needs at least one trainable parameter", nameof(parameters));
        Inner = inner;
        Settings = settings;
    }

    public optim.Optimizer Inner { get; }
    public DpSgdSettings Settings { get; }

    /// <summary>
    /// One DP-SGD step over <paramref name="examples"/> examples; <paramref name="noise"/> draws the
    /// Gaussian noise (seed it per step for reproducible, resumable runs).
    /// </summary>
    public DpStepStats Step(int examples, Func<int, Tensor> exampleLoss, Generator? noise = null)
    {
        using var scope = NewDisposeScope();
        var (sums, stats) = ClippedGradientSum(examples, exampleLoss);
        double std = Settings.NoiseMultiplier * Settings.ClipNorm;
        using (no_grad())
        {
            for (int k = 0; k < parameters.Length; k++)
            {
                var g = sums[k];
                if (std > 0) g = g + randn(g.shape, g.dtype, g.device, generator: noise) * std;
                parameters[k].grad = (g / Settings.ExpectedBatchSize).detach();
            }
        }
        Inner.step();
        return stats;
    }

    /// <summary>
    /// Σ over the examples of each example's gradient scaled by min(1, C/‖g‖) (‖g‖ over all
    /// parameters together), one tensor per parameter, without noise: the part of the step whose
    /// sensitivity is C. Leaves the parameters' .grad holding the last example's gradient.
    /// </summary>
    public (Tensor[] Sums, DpStepStats Stats) ClippedGradientSum(int examples, Func<int, Tensor> exampleLoss)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(examples);
        var sums = parameters.Select(p => zeros_like(p).detach()).ToArray();
        double lossSum = 0, normSum = 0;
        int clipped = 0;
        for (int i = 0; i < examples; i++)
        {
            using var scope = NewDisposeScope();
            foreach (var p in parameters) p.grad?.zero_();
            var loss = exampleLoss(i);
            if (loss.numel() != 1)
                throw new ArgumentException($"the loss of example {i} must be a scalar, got shape [{string.Join(", ", loss.shape)}]");
            loss.backward();
            lossSum += loss.item<float>();
            using (no_grad())
            {
                var grads = parameters.Select(p => p.grad ?? zeros_like(p)).ToArray();
                var norm = stack(grads.Select(g => g.square().sum()).ToArray()).sum().sqrt();
                double n = norm.item<float>();
                normSum += n;
                if (n > Settings.ClipNorm) clipped++;
                // The 1e-6 keeps a zero gradient finite; the factor never exceeds 1 (Opacus does the same).
                var factor = (Settings.ClipNorm / (norm + 1e-6)).clamp_max(1.0);
                for (int k = 0; k < parameters.Length; k++) sums[k].add_(grads[k] * factor);
            }
        }
        int denominator = Math.Max(1, examples);
        return (sums, new DpStepStats(examples, lossSum / denominator, normSum / denominator, (double)clipped / denominator));
    }

    public void Dispose() => Inner.Dispose();
}
