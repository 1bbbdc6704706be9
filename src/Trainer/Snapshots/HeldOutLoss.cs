using static TorchSharp.torch;

namespace MemScan.Trainer.Snapshots;

/// <summary>
/// Validation loss of a language model: mean next-token cross-entropy (nats) over non-overlapping
/// windows of held-out token ids, in eval mode without gradients. The same windows at every
/// snapshot, so the curve moves only with the model.
/// </summary>
public static class HeldOutLoss
{
    /// <param name="logits">the model's forward pass: ids [b, t] → logits [b, t, vocab]</param>
    /// <returns>NaN when <paramref name="ids"/> is shorter than one window</returns>
    public static double Of(Func<Tensor, Tensor> logits, long[] ids, int sequenceLength, int vocab, int batch = 16)
    {
        int window = sequenceLength + 1;
        int windows = ids.Length / window;
        if (windows == 0) return double.NaN;
        double sum = 0;
        long count = 0;
        using var _ = no_grad();
        for (int start = 0; start < windows; start += batch)
        {
            using var scope = NewDisposeScope();
            int n = Math.Min(batch, windows - start);
            var x = tensor(ids.AsSpan(start * window, n * window).ToArray(), [n, window]);
            var output = logits(x.narrow(1, 0, sequenceLength));
            var loss = nn.functional.cross_entropy(output.reshape(-1, vocab), x.narrow(1, 1, sequenceLength).reshape(-1), reduction: nn.Reduction.Sum);
            sum += loss.item<float>();
            count += (long)n * sequenceLength;
        }
        return sum / count;
    }
}
