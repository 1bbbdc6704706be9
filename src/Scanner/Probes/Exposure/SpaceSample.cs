using MemScan.Scanner.Models;

namespace MemScan.Scanner.Probes.Exposure;

/// <summary>
/// Candidates drawn uniformly from a randomness space and scored by the model: the model's own
/// distribution of log-perplexities over the space, which the exposure probe fits a skew normal to
/// (with the secret) and extraction judges its top completions against (without one).
/// </summary>
public static class SpaceSample
{
    /// <summary><paramref name="count"/> indices drawn with <c>Random(seed)</c>, <paramref name="exclude"/> skipped, in draw order.</summary>
    public static List<long> Draw(double spaceSize, int count, int seed, long? exclude = null)
    {
        var random = new Random(seed);
        var indices = new List<long>(count);
        while (indices.Count < count)
        {
            long index = random.NextInt64((long)spaceSize);
            if (index != exclude) indices.Add(index);
        }
        return indices;
    }

    /// <summary>Log-perplexity in bits (-log2 P given the prefix state) of each candidate, in one batched run.</summary>
    public static double[] Bits(LanguageModel model, LmState root, CandidateTrie trie, IReadOnlyList<long> indices)
    {
        var candidates = indices.Select(i => trie.PathOf(i).Tokens).ToList();
        model.Advance(Enumerable.Repeat(root, candidates.Count).ToArray(), candidates, out var logProbs);
        return logProbs.Select(row => -row.Sum(v => (double)v) / Math.Log(2)).ToArray();
    }
}
