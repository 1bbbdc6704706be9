using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MemScan.Trainer.Privacy;

/// <summary>
/// DP-SGD for a language model, shared by the char-LSTM and GPT trainers. The token stream is cut
/// into non-overlapping sequences of seq + 1 tokens — the examples DP protects; each token is in
/// exactly one — batches are Poisson-sampled from them and each step is a
/// <see cref="DpSgdOptimizer"/> step whose per-example loss is the mean next-token cross-entropy
/// over the sequence (so the clip norm means the same at any sequence length). Batch and noise of
/// step s depend only on (seed, s): a resumed run takes the same steps.
/// </summary>
public sealed class SequenceDpSgd
{
    readonly long[] ids;
    readonly int sequenceLength, vocab, seed;
    readonly PoissonSampler sampler;
    readonly DpSgdOptimizer dp;

    public SequenceDpSgd(long[] ids, int sequenceLength, int vocab, int batchSize, long steps, DpConfig config, int seed,
        IEnumerable<Parameter> parameters, optim.Optimizer inner)
    {
        this.ids = ids;
        this.sequenceLength = sequenceLength;
        this.vocab = vocab;
        this.seed = seed;
        int examples = ids.Length / (sequenceLength + 1);
        Plan = config.Resolve(examples, batchSize, steps);
        sampler = new PoissonSampler(examples, Plan.SamplingRate, seed);
        dp = new DpSgdOptimizer(parameters, inner, Plan.Settings);
    }

    /// <summary>σ, q, C and the (ε, δ) of the whole run.</summary>
    public DpPlan Plan { get; }

    /// <summary>One step; <paramref name="logitsOf"/> maps input ids [1, seq] to logits [1, seq, vocab]. Returns the batch's mean loss, NaN for an empty batch.</summary>
    public double Step(long step, Func<Tensor, Tensor> logitsOf)
    {
        int t = sequenceLength;
        var members = sampler.Sample(step);
        var rows = new long[members.Length * (t + 1)];
        for (int r = 0; r < members.Length; r++) Array.Copy(ids, (long)members[r] * (t + 1), rows, r * (t + 1), t + 1);
        using var scope = NewDisposeScope();
        var batch = tensor(rows, [members.Length, t + 1]);
        using var noise = new Generator((ulong)StepSeed.For(seed, step, salt: 0x401e));
        var stats = dp.Step(members.Length, i =>
        {
            var row = batch.narrow(0, i, 1);
            return nn.functional.cross_entropy(logitsOf(row.narrow(1, 0, t)).reshape(-1, vocab), row.narrow(1, 1, t).reshape(-1));
        }, noise);
        return stats.Examples == 0 ? double.NaN : stats.MeanLoss;
    }
}
