using MemScan.Scanner.Models;

namespace MemScan.Scanner.Tests.Models;

/// <summary>
/// A deterministic stand-in language model: its next-token distribution is a pseudo-random
/// function of the whole history, with an optional strong preference for one "memorized" string.
/// Lets the search algorithms be checked against brute force without training anything.
/// </summary>
public sealed class HashedLanguageModel(int vocab, int[]? memorized = null, float sharpness = 3f) : LanguageModel
{
    public override int VocabSize => vocab;
    public override bool Incremental => false;
    public override LmState Initial { get; } = LmState.Empty(0);
    /// <summary>A context to enforce, as a transformer's position table would (null: unbounded).</summary>
    public int? Context { get; init; }
    public override int? MaxSequenceLength => Context;

    protected override LmState[] AdvanceBatch(LmState[] states, int[][] tokens, float[][]? tokenLogProbs)
    {
        var result = new LmState[states.Length];
        for (int r = 0; r < states.Length; r++)
        {
            var history = states[r].History.ToList();
            for (int t = 0; t < tokens[r].Length; t++)
            {
                if (t > 0 && tokenLogProbs is not null) tokenLogProbs[r][t] = Distribution(history)[tokens[r][t]];
                history.Add(tokens[r][t]);
            }
            result[r] = new LmState { History = history.ToArray(), Tensors = [], NextLogProbs = Distribution(history) };
        }
        return result;
    }

    public float[] Distribution(IReadOnlyList<int> history)
    {
        ulong h = 1469598103934665603UL;
        foreach (int t in history) h = (h ^ (ulong)t) * 1099511628211UL;
        var logits = new float[vocab];
        for (int i = 0; i < vocab; i++)
        {
            h ^= h >> 33; h *= 0xff51afd7ed558ccdUL; h ^= h >> 29;
            logits[i] = (float)((h % 10_000) / 10_000.0 * sharpness);
        }
        if (memorized is not null && history.Count >= 1)
        {
            // After the "prefix" token 0, follow the memorized path strongly.
            int depth = history.Count - 1;
            if (depth < memorized.Length && history.Skip(1).SequenceEqual(memorized.Take(depth)))
                logits[memorized[depth]] += 8;
        }
        var output = new float[vocab];
        LogSoftmax(logits, output);
        return output;
    }

    public override void Dispose() { }
}
