using MemScan.Scanner.Metrics;
using MemScan.Scanner.Models;

namespace MemScan.Scanner.Probes.Membership;

/// <summary>
/// Runs a language model over tokenized samples and reduces each to <see cref="SequenceStats"/>.
/// Losses alone come from one full-sequence pass per length; Min-K%++ needs the whole next-token
/// distribution at every position, which <see cref="LanguageModel.Advance(IReadOnlyList{LmState}, IReadOnlyList{int[]})"/>
/// hands out as the state's <see cref="LmState.NextLogProbs"/>, so those samples are stepped one token
/// at a time (<see cref="LanguageModel.ScorePositions"/>, run inside the isolated host when there is one): one model row per token for incremental models (LSTM state, KV cache), the whole
/// history again per token otherwise. Only the rows of one chunk are alive at once, so a 50k-token
/// vocabulary costs chunk × 200 KB, not samples × 200 KB.
/// </summary>
public static class SequenceScorer
{
    const int ChunkRows = 256;

    /// <summary>Mean token loss (nats) of each sequence; every sequence needs at least 2 tokens.</summary>
    public static double[] Losses(LanguageModel model, IReadOnlyList<int[]> sequences)
    {
        CheckLengths(sequences);
        var losses = new double[sequences.Count];
        for (int start = 0; start < sequences.Count; start += ChunkRows)
        {
            var chunk = sequences.Skip(start).Take(ChunkRows).ToArray();
            var logProbs = model.TokenLogProbs(chunk);
            for (int i = 0; i < chunk.Length; i++) losses[start + i] = SequenceLoss.Mean(logProbs[i]);
        }
        return losses;
    }

    /// <summary>Loss, Min-K% and Min-K%++ of each sequence (at least 2 tokens each).</summary>
    public static SequenceStats[] Full(LanguageModel model, IReadOnlyList<int[]> sequences, double fraction)
    {
        CheckLengths(sequences);
        var result = new SequenceStats[sequences.Count];
        for (int start = 0; start < sequences.Count; start += ChunkRows)
        {
            var chunk = sequences.Skip(start).Take(ChunkRows).ToArray();
            var stats = FullChunk(model, chunk, fraction);
            stats.CopyTo(result, start);
        }
        return result;
    }

    static SequenceStats[] FullChunk(LanguageModel model, int[][] sequences, double fraction) =>
        model.ScorePositions(sequences).Select(p => new SequenceStats(p.LogProbs.Length, SequenceLoss.Mean(p.LogProbs),
            MinKProb.Score(p.LogProbs, fraction), MinKPlusPlus.Score(p.Standardized, fraction))).ToArray();

    static void CheckLengths(IReadOnlyList<int[]> sequences)
    {
        for (int i = 0; i < sequences.Count; i++)
            if (sequences[i].Length < 2)
                throw new MemScanException($"sample {i} has {sequences[i].Length} token(s); scoring needs at least 2 (the first token has no prediction)");
    }
}
