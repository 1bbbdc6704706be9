using System.Buffers;
using System.Numerics.Tensors;

namespace MemScan.Scanner.Models;

/// <summary>
/// log Σ exp(logits) of one row, computed exactly as <see cref="LanguageModel.LogSoftmax"/> computes
/// it, so that <c>logits[token] - LogSumExp(logits)</c> is bitwise that row's log-softmax entry.
/// </summary>
/// <remarks>
/// Performance: a tree search reads a few entries of each row (a node's children); writing the
/// whole log-softmax row (50,257 floats for GPT-2) to read those few was one more pass over the
/// vocabulary per row, and needed a row-sized buffer per call.
/// </remarks>
public static class RowLogSumExp
{
    public static float Of(ReadOnlySpan<float> logits)
    {
        if (logits.IsEmpty) return float.NegativeInfinity;
        float max = TensorPrimitives.Max(logits);
        float[] rented = ArrayPool<float>.Shared.Rent(logits.Length);
        try
        {
            var shifted = rented.AsSpan(0, logits.Length);
            TensorPrimitives.Subtract(logits, max, shifted);
            TensorPrimitives.Exp(shifted, shifted);
            return max + MathF.Log(TensorPrimitives.Sum<float>(shifted));
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>The log-softmax entries of <paramref name="tokens"/> (duplicates allowed), bitwise the full row's.</summary>
    public static WantedNextLogProbs Pick(ReadOnlySpan<float> logits, int[] tokens)
    {
        float logSum = Of(logits);
        var values = new float[tokens.Length];
        for (int i = 0; i < tokens.Length; i++) values[i] = logits[tokens[i]] - logSum;
        return new WantedNextLogProbs(tokens, values);
    }
}
