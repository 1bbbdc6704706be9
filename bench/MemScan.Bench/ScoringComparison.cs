using MemScan.Scanner.Models;
using MemScan.Scanner.Probes.Exposure;

namespace MemScan.Bench;

/// <summary>
/// The three ONNX Runtime ways to score every candidate of one canary on one model, shared by the
/// char-LSTM and the GPT sections: (a) one sequence per run, (b) batched full sequences, (c) the
/// prefix-shared tree (<see cref="ExactRankSearch"/>, state or KV cache carried), (c') the same
/// with pruning. Candidate ids are spread over the whole space so subword lengths vary as in a scan.
/// </summary>
public sealed class ScoringComparison(LanguageModel model, int[] rootTokens, CandidateTrie trie, long secret)
{
    /// <summary>Root tokens + the candidate's tokens below the root: the full sequence a naive scorer runs.</summary>
    public int[] FullSequence(long candidate) => [.. rootTokens, .. trie.PathOf(candidate).Tokens];

    public long[] Spread(int count) =>
        Enumerable.Range(0, count).Select(i => (long)(i * (double)trie.CandidateCount / count)).ToArray();

    public Measured Naive(int count)
    {
        var sequences = Spread(count).Select(FullSequence).ToArray();
        int saved = model.MaxBatch;
        model.MaxBatch = 1;
        double s = Timing.BestSeconds(() => { foreach (var seq in sequences) model.Advance([model.Initial], [seq], out _); }, repetitions: 1);
        model.MaxBatch = saved;
        return new Measured("(a) naive: one sequence per ORT run", count / s, $"{count:N0} candidates, {sequences.Average(q => q.Length):F1} tokens each, {s:F1}s");
    }

    public Measured Batched(int count, int batch)
    {
        var sequences = Spread(count).Select(FullSequence).ToArray();
        var initials = Enumerable.Repeat(model.Initial, count).ToArray();
        int saved = model.MaxBatch;
        model.MaxBatch = batch;
        double s = Timing.BestSeconds(() => model.Advance(initials, sequences, out _), repetitions: 2);
        model.MaxBatch = saved;
        TokensPerSecondBatched = sequences.Sum(q => q.Length) / s;
        return new Measured($"(b) batched full sequences ({batch}/run)", count / s, $"{count:N0} candidates, {TokensPerSecondBatched:N0} tokens/s, {s:F1}s");
    }

    /// <summary>Token positions per second of the last <see cref="Batched"/> run.</summary>
    public double TokensPerSecondBatched { get; private set; }

    /// <summary>The exact rank of <c>secret</c> over every candidate; returns (c) and (c').</summary>
    public (Measured Full, Measured Pruned) Tree(int batch)
    {
        var root = model.Advance([model.Initial], [rootTokens])[0];
        ExactRank? full = null, pruned = null;
        double s = Timing.BestSeconds(() => full = new ExactRankSearch(model, batch).Rank(root, trie, secret, prune: false), repetitions: 2, warmUp: false);
        TreeRows = full!.Queries; // rows of one search (the timing repeats it)
        TreeRowsPerSecond = TreeRows / s;
        double p = Timing.BestSeconds(() => pruned = new ExactRankSearch(model, batch).Rank(root, trie, secret, prune: true), repetitions: 2, warmUp: false);
        if (full!.Rank != pruned!.Rank) throw new InvalidOperationException($"pruning changed the rank: {full.Rank} vs {pruned.Rank}");
        return (new Measured("(c) prefix-shared tree (ExactRankSearch)", trie.CandidateCount / s, $"{TreeRows:N0} one-token rows, {TreeRowsPerSecond:N0} rows/s, {s:F1}s, rank {full.Rank:N0}"),
                new Measured("(c') same, with pruning", trie.CandidateCount / p, $"{pruned.Queries:N0} rows, {pruned.LeavesPruned:N0} candidates pruned, {p:F1}s"));
    }

    public long TreeRows { get; private set; }
    public double TreeRowsPerSecond { get; private set; }
}
