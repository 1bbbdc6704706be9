using MemScan.Scanner.Models;

namespace MemScan.Bench;

/// <summary>
/// Rows per second of the scanner's <see cref="LanguageModel.LogSoftmax"/> against the scalar
/// double-precision loop it replaced (kept here as the reference), on one vocabulary size, with
/// the largest difference between the two.
/// </summary>
public static class LogSoftmaxBench
{
    /// <summary>The original implementation (Math.Exp per element, double sum).</summary>
    public static void Scalar(ReadOnlySpan<float> logits, Span<float> output)
    {
        float max = float.NegativeInfinity;
        foreach (float v in logits) if (v > max) max = v;
        double sum = 0;
        foreach (float v in logits) sum += Math.Exp(v - max);
        float logSum = (float)(max + Math.Log(sum));
        for (int i = 0; i < logits.Length; i++) output[i] = logits[i] - logSum;
    }

    public static IReadOnlyList<Measured> Run(int vocab, int rows)
    {
        var random = new Random(5);
        var logits = new float[rows * vocab];
        for (int i = 0; i < logits.Length; i++) logits[i] = (float)(random.NextDouble() * 20 - 10);
        var a = new float[vocab];
        var b = new float[vocab];
        double worst = 0;
        for (int r = 0; r < Math.Min(rows, 64); r++)
        {
            Scalar(logits.AsSpan(r * vocab, vocab), a);
            LanguageModel.LogSoftmax(logits.AsSpan(r * vocab, vocab), b);
            for (int i = 0; i < vocab; i++) worst = Math.Max(worst, Math.Abs(a[i] - b[i]));
        }
        double scalar = Timing.BestSeconds(() => { for (int r = 0; r < rows; r++) Scalar(logits.AsSpan(r * vocab, vocab), a); });
        double current = Timing.BestSeconds(() => { for (int r = 0; r < rows; r++) LanguageModel.LogSoftmax(logits.AsSpan(r * vocab, vocab), b); });
        return
        [
            new Measured($"scalar double loop (before), V={vocab:N0}", rows / scalar, $"{rows:N0} rows"),
            new Measured($"LanguageModel.LogSoftmax (now), V={vocab:N0}", rows / current, $"max |difference| {worst:G2} nats"),
        ];
    }
}
