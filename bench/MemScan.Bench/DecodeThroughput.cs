using System.Diagnostics;
using MemScan.Scanner.Models;
using MemScan.Scanner.Onnx;

namespace MemScan.Bench;

/// <summary>
/// Greedy decoding's generated tokens per second on an ONNX language model, in process: the entry
/// point other sections (the 124M one) call to time batch-32 decoding on their own model.
/// </summary>
public static class DecodeThroughput
{
    /// <summary>
    /// Tokens/s of greedy decoding <paramref name="batch"/> rows of <paramref name="tokens"/> new tokens
    /// each after 16-token prompts (best of <paramref name="rounds"/> after a warm-up), with the
    /// decoding loop that feeds presents back (default) or token by token.
    /// </summary>
    public static double GreedyTokensPerSecond(string modelPath, int batch, int tokens, int threads, bool feedPresentsBack = true, int rounds = 2)
    {
        using var model = OnnxLanguageModel.Open(modelPath, null, new OnnxSessionOptions { IntraOpThreads = threads });
        model.FeedPresentsBack = feedPresentsBack;
        var prompts = Prompts(batch, 16, model.VocabSize);
        double seconds = Timing.BestSeconds(() => GreedyDecoding.Decode(model, prompts, tokens), rounds);
        return batch * tokens / seconds;
    }

    /// <summary>Prompts of <paramref name="length"/> ids, different in each row (decoding cost does not depend on which).</summary>
    public static int[][] Prompts(int batch, int length, int vocab) =>
        Enumerable.Range(0, batch).Select(r => Enumerable.Range(0, length).Select(i => (r * 7919 + i * 104_729 + 1) % vocab).ToArray()).ToArray();

    /// <summary>
    /// Matmul FLOPs of one decoding request: each row's prompt tokens at positions 1..P, then the
    /// <paramref name="tokens"/> - 1 generated tokens fed back, each attending to all before it.
    /// </summary>
    public static double Flops(Func<int, double> flopsPerToken, int batch, int promptLength, int tokens)
    {
        double perRow = 0;
        for (int position = 1; position < promptLength + tokens; position++) perRow += flopsPerToken(position);
        return batch * perRow;
    }
}
