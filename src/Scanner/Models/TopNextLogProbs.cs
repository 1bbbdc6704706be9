using System.Numerics;

namespace MemScan.Scanner.Models;

/// <summary>
/// The k most likely next tokens of a state with their exact log-probs (the full row's entries,
/// picked after the full log-softmax), most likely first, the lower token id first on ties.
/// </summary>
/// <remarks>
/// Why: greedy decoding reads one token of a GPT-2 row's 50,257 and top-k sampling reads k; an
/// isolated model then ships k ids and k values per row instead of the whole vocabulary.
/// The order is the one <see cref="Sweeps.TopKSampler"/> and greedy decoding always used, so
/// picking in the model instead of in the caller changes no decoded token.
/// </remarks>
public sealed class TopNextLogProbs
{
    /// <summary>Token ids, most likely first.</summary>
    public int[] Tokens { get; }
    /// <summary>log p of <see cref="Tokens"/>[i], in the same order.</summary>
    public float[] LogProbs { get; }

    public TopNextLogProbs(int[] tokens, float[] logProbs)
    {
        if (tokens.Length != logProbs.Length)
            throw new ArgumentException($"{tokens.Length} top tokens but {logProbs.Length} log-probs");
        Tokens = tokens;
        LogProbs = logProbs;
    }

    /// <summary>How many tokens an answer for the top <paramref name="k"/> holds: k, or the whole vocabulary when smaller.</summary>
    public static int CountFor(int k, int vocab) => Math.Min(k, vocab);

    public bool TryGet(int token, out float logProb)
    {
        // k is small (1 for greedy decoding, tens for sampling): a scan beats a lookup table.
        int at = Array.IndexOf(Tokens, token);
        logProb = at >= 0 ? LogProbs[at] : float.NaN;
        return at >= 0;
    }

    /// <summary>The top <paramref name="k"/> entries of a full log-softmax row.</summary>
    public static TopNextLogProbs Pick(ReadOnlySpan<float> fullRow, int k)
    {
        var tokens = TopIndices(fullRow, CountFor(k, fullRow.Length));
        var values = new float[tokens.Length];
        for (int i = 0; i < tokens.Length; i++) values[i] = fullRow[tokens[i]];
        return new TopNextLogProbs(tokens, values);
    }

    /// <summary>
    /// Indices of the k largest values, largest first, lower index first on ties. For k = 1 this is
    /// the first maximum, as greedy decoding's arg-max always was (NaN rows included).
    /// </summary>
    /// <remarks>
    /// Performance: one pass over the row. Once k candidates are held, a value can only enter by
    /// beating the k-th, so the row is compared a SIMD vector at a time against that floor and only
    /// a vector holding a greater value is looked at element by element (on a 50,257-token row that
    /// is a few dozen of ~6,300 vectors). The entries and their order are exactly those of the
    /// element-by-element insertion (strictly greater enters, so the lower index stays first on
    /// ties; a NaN floor lets nothing in, as a NaN comparison never did); a test holds the two equal.
    /// </remarks>
    public static int[] TopIndices(ReadOnlySpan<float> values, int k)
    {
        var best = new int[k];
        if (k == 0) return best;
        int count = 0, i = 0;
        for (; i < values.Length && count < k; i++) Insert(values, best, ref count, i);
        if (count < k) return best;
        float floor = values[best[k - 1]];
        int width = Vector<float>.Count;
        for (; i <= values.Length - width; i += width)
        {
            if (!Vector.GreaterThanAny(new Vector<float>(values.Slice(i, width)), new Vector<float>(floor))) continue;
            for (int j = i; j < i + width; j++)
            {
                if (!(values[j] > floor)) continue;
                Insert(values, best, ref count, j);
                floor = values[best[k - 1]];
            }
        }
        for (; i < values.Length; i++)
        {
            if (!(values[i] > floor)) continue;
            Insert(values, best, ref count, i);
            floor = values[best[k - 1]];
        }
        return best;
    }

    /// <summary>
    /// The selection before <see cref="TopIndices"/>: every element offered to the insertion in
    /// turn. Kept as the reference the one-pass version is tested against (TopIndicesOnePassTests)
    /// and measured beside (memscan-bench, hostloops).
    /// </summary>
    internal static int[] TopIndicesElementByElement(ReadOnlySpan<float> values, int k)
    {
        var best = new int[k];
        int count = 0;
        for (int i = 0; i < values.Length && k > 0; i++)
            if (count < k || values[i] > values[best[k - 1]]) Insert(values, best, ref count, i);
        return best;
    }

    /// <summary>Insertion of index <paramref name="i"/> into the sorted prefix (k is small, tens): after every index with a value at least as large.</summary>
    static void Insert(ReadOnlySpan<float> values, int[] best, ref int count, int i)
    {
        int k = best.Length;
        float v = values[i];
        int at = count < k ? count++ : k - 1;
        while (at > 0 && v > values[best[at - 1]])
        {
            best[at] = best[at - 1];
            at--;
        }
        best[at] = i;
    }

    /// <summary>
    /// Why an answer for the top <paramref name="k"/> cannot be one (null when it can): the count is
    /// min(k, vocab), every id is in the vocabulary and appears once, and no entry is more likely
    /// than the one before it, the lower id first where neither is. A host that breaks this is
    /// hostile or broken; whether the tokens really are the most likely ones only the full row could tell.
    /// </summary>
    public static string? Violation(int[] tokens, float[] logProbs, int k, int vocab)
    {
        int expected = CountFor(k, vocab);
        if (tokens.Length != expected || logProbs.Length != expected)
            return $"{tokens.Length} token ids and {logProbs.Length} log-probs where {expected} were expected";
        var seen = new HashSet<int>();
        for (int i = 0; i < tokens.Length; i++)
        {
            if ((uint)tokens[i] >= (uint)vocab) return $"token id {tokens[i]} is outside the vocabulary of {vocab}";
            if (!seen.Add(tokens[i])) return $"token id {tokens[i]} appears twice";
            if (i == 0) continue;
            float before = logProbs[i - 1], here = logProbs[i];
            // Comparisons as the picker makes them, so a NaN row (all NaN, lowest ids) passes as it was picked.
            if (here > before) return $"entry {i} (token {tokens[i]}, {here}) is more likely than entry {i - 1} (token {tokens[i - 1]}, {before})";
            if (!(before > here) && tokens[i] < tokens[i - 1])
                return $"entries {i - 1} and {i} tie but token {tokens[i]} comes after {tokens[i - 1]}";
        }
        return null;
    }
}
