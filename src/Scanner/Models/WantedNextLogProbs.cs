namespace MemScan.Scanner.Models;

/// <summary>
/// The next-token log-probs of a state for only the tokens its caller asked for (see
/// <see cref="LanguageModel.Advance(IReadOnlyList{LmState}, IReadOnlyList{int[]}, IReadOnlyList{int[]}?)"/>):
/// each value is exactly the full row's entry, picked after the full log-softmax.
/// </summary>
/// <remarks>
/// Why: a tree search reads a handful of a GPT-2 row's 50,257 entries (the children of a trie
/// node); keeping and shipping the whole 200 KB row per state is what made the isolated host cost
/// half the in-process rate (docs/PERFORMANCE.md).
/// </remarks>
public sealed class WantedNextLogProbs
{
    /// <summary>The tokens as requested (duplicates allowed) and their log-probs, in the same order.</summary>
    internal int[] Tokens { get; }
    internal float[] Values { get; }

    // Sorted copies for lookup: a node's children are looked up one by one.
    readonly int[] _sortedTokens;
    readonly float[] _sortedValues;

    public WantedNextLogProbs(int[] tokens, float[] values)
    {
        if (tokens.Length != values.Length)
            throw new ArgumentException($"{tokens.Length} wanted tokens but {values.Length} log-probs");
        Tokens = tokens;
        Values = values;
        // Performance: a trie's children usually come in token order; then the request itself is
        // the lookup table (no copies, no sort: for a small vocabulary these cost more than the row).
        if (IsAscending(tokens))
        {
            _sortedTokens = tokens;
            _sortedValues = values;
            return;
        }
        _sortedTokens = (int[])tokens.Clone();
        _sortedValues = (float[])values.Clone();
        Array.Sort(_sortedTokens, _sortedValues);
    }

    static bool IsAscending(int[] tokens)
    {
        for (int i = 1; i < tokens.Length; i++)
            if (tokens[i] < tokens[i - 1]) return false;
        return true;
    }

    public bool TryGet(int token, out float logProb)
    {
        int at = Array.BinarySearch(_sortedTokens, token);
        logProb = at >= 0 ? _sortedValues[at] : float.NaN;
        return at >= 0;
    }

    /// <summary>Picks <paramref name="tokens"/>' entries out of a full log-softmax row.</summary>
    public static WantedNextLogProbs Pick(ReadOnlySpan<float> fullRow, int[] tokens)
    {
        var values = new float[tokens.Length];
        for (int i = 0; i < tokens.Length; i++) values[i] = fullRow[tokens[i]];
        return new WantedNextLogProbs(tokens, values);
    }
}
