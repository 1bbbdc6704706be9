namespace MemScan.Scanner.Tokenizers;

/// <summary>
/// The token ids of many candidates (e.g. every 6-digit PIN) after a common prefix ("my PIN is"),
/// as the model sees them: each candidate is encoded together with the prefix, because with BPE a
/// candidate's tokens depend on its neighbours (GPT-2 writes " 123456" as [17031, 29228]).
/// </summary>
/// <remarks>
/// Usually the prefix's own tokens <see cref="PrefixIds"/> start every encoding, and a candidate's
/// tokens are what follows. When BPE merges across the boundary (a prefix ending in a space, or a
/// candidate glued to a word), the encoding shares only the first <see cref="SharedPrefixLength"/>
/// prefix tokens; <see cref="TokensOf"/> then starts earlier, and the caller scores such a candidate
/// from the shorter prefix <c>PrefixIds[..SharedPrefixLength(i)]</c>. In both cases
/// <c>PrefixIds[..SharedPrefixLength(i)] + TokensOf(i)</c> is the full encoding of prefix + candidate.
/// Candidates are encoded in parallel; <see cref="ITextTokenizer.Encode"/> must be thread-safe
/// (all tokenizers in this folder are).
/// </remarks>
public sealed class CandidateTokenization
{
    readonly int[] _tokens;
    readonly int[] _offsets;
    readonly int[] _shared;

    CandidateTokenization(int[] prefixIds, int start, int[] tokens, int[] offsets, int[] shared, int[] boundaryMerged)
    {
        PrefixIds = prefixIds;
        Start = start;
        _tokens = tokens;
        _offsets = offsets;
        _shared = shared;
        BoundaryMerged = boundaryMerged;
    }

    /// <summary>The encoding of the prefix alone.</summary>
    public int[] PrefixIds { get; }
    /// <summary>Index of this batch's first candidate in the whole sequence (0 for <see cref="Tokenize"/>).</summary>
    public int Start { get; }
    public int Count => _shared.Length;
    /// <summary>Indices (within this batch) of the candidates whose encoding merged across the prefix boundary.</summary>
    public IReadOnlyList<int> BoundaryMerged { get; }
    /// <summary>The fewest prefix tokens any candidate shares: score every candidate from there to compare them all alike.</summary>
    public int ShortestSharedPrefix => _shared.Length == 0 ? PrefixIds.Length : _shared.Min();
    /// <summary>All candidate tokens, back to back; candidate i is <c>AllTokens[Offsets[i]..Offsets[i+1]]</c>.</summary>
    public ReadOnlySpan<int> AllTokens => _tokens;
    public ReadOnlySpan<int> Offsets => _offsets;

    /// <summary>The ids that follow the first <see cref="SharedPrefixLength"/>(i) prefix tokens.</summary>
    public ReadOnlySpan<int> TokensOf(int i) => _tokens.AsSpan(_offsets[i], _offsets[i + 1] - _offsets[i]);

    /// <summary>How many of <see cref="PrefixIds"/> start candidate i's encoding; PrefixIds.Length unless BPE merged across the boundary.</summary>
    public int SharedPrefixLength(int i) => _shared[i];

    public bool MergesAcrossBoundary(int i) => _shared[i] != PrefixIds.Length;

    /// <summary>Encodes prefix + each candidate; <paramref name="maxDegreeOfParallelism"/> -1 uses every core.</summary>
    public static CandidateTokenization Tokenize(ITextTokenizer tokenizer, string prefix, IReadOnlyList<string> candidates,
        int maxDegreeOfParallelism = -1) =>
        Tokenize(PrefixPlan.Create(tokenizer, prefix), candidates, 0, maxDegreeOfParallelism);

    /// <summary>Streams a large or lazy candidate space in batches of <paramref name="batchSize"/>.</summary>
    public static IEnumerable<CandidateTokenization> TokenizeBatches(ITextTokenizer tokenizer, string prefix,
        IEnumerable<string> candidates, int batchSize = 1 << 16, int maxDegreeOfParallelism = -1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var plan = PrefixPlan.Create(tokenizer, prefix);
        var batch = new List<string>(batchSize);
        int start = 0;
        foreach (var candidate in candidates)
        {
            batch.Add(candidate);
            if (batch.Count < batchSize) continue;
            yield return Tokenize(plan, batch, start, maxDegreeOfParallelism);
            start += batch.Count;
            batch = new List<string>(batchSize);
        }
        if (batch.Count > 0)
            yield return Tokenize(plan, batch, start, maxDegreeOfParallelism);
    }

    /// <summary>Whether this batch encoded only the tail of a long prefix (see PrefixPlan); for tests and logs.</summary>
    public bool UsedPrefixTail { get; private init; }

    static CandidateTokenization Tokenize(PrefixPlan plan, IReadOnlyList<string> candidates, int start, int maxDegreeOfParallelism)
    {
        int n = candidates.Count;
        var prefixIds = plan.PrefixIds;
        // Encode only the tail of a long prefix when that provably gives the same ids on a sample.
        bool useTail = plan.HasTail && plan.TailAgreesOn(candidates);
        int head = useTail ? plan.HeadTokens : 0;
        var text = useTail ? plan.Tail : plan.Prefix;
        var suffixes = new int[n][];
        var shared = new int[n];
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, n, Math.Max(256, n / (4 * Environment.ProcessorCount) + 1)),
            options, range =>
            {
                for (int i = range.Item1; i < range.Item2; i++)
                {
                    var encoded = plan.Tokenizer.Encode(text + candidates[i]);
                    int common = CommonPrefix(prefixIds.AsSpan(head), encoded);
                    shared[i] = head + common;
                    suffixes[i] = encoded[common..];
                }
            });

        var offsets = new int[n + 1];
        for (int i = 0; i < n; i++) offsets[i + 1] = checked(offsets[i] + suffixes[i].Length);
        var tokens = new int[offsets[n]];
        var merged = new List<int>();
        for (int i = 0; i < n; i++)
        {
            suffixes[i].CopyTo(tokens, offsets[i]);
            if (shared[i] != prefixIds.Length) merged.Add(i);
        }
        return new CandidateTokenization(prefixIds, start, tokens, offsets, shared, merged.ToArray()) { UsedPrefixTail = useTail };
    }

    static int CommonPrefix(ReadOnlySpan<int> prefix, int[] full)
    {
        int k = 0, max = Math.Min(prefix.Length, full.Length);
        while (k < max && prefix[k] == full[k]) k++;
        return k;
    }

    /// <summary>
    /// A long prefix costs its whole length for every candidate. With regex pre-tokenized BPE (GPT-2,
    /// tiktoken) text well before the boundary cannot change how the end is split, so only the tail is
    /// encoded: the prefix is cut at a token boundary <see cref="TailTokens"/> tokens before its end,
    /// the tail must encode to exactly the prefix's last tokens, and on a sample of every batch
    /// encoding tail + candidate must give the same ids as the whole prefix + candidate. Otherwise
    /// (SentencePiece's dummy prefix and BOS fail the check) the whole prefix is encoded.
    /// </summary>
    sealed class PrefixPlan
    {
        const int TailTokens = 16;
        const int MinPrefixChars = 64;
        const int SampleSize = 96;

        public required ITextTokenizer Tokenizer { get; init; }
        public required string Prefix { get; init; }
        public required int[] PrefixIds { get; init; }
        public int HeadTokens { get; private init; }
        public string Tail { get; private init; } = "";
        public bool HasTail => HeadTokens > 0;

        public static PrefixPlan Create(ITextTokenizer tokenizer, string prefix)
        {
            var ids = tokenizer.Encode(prefix);
            var plan = new PrefixPlan { Tokenizer = tokenizer, Prefix = prefix, PrefixIds = ids };
            if (prefix.Length < MinPrefixChars || ids.Length <= 2 * TailTokens) return plan;
            for (int k = ids.Length - TailTokens; k >= ids.Length - 2 * TailTokens; k--)
            {
                var head = tokenizer.Decode(ids[..k]);
                if (head.Length == 0 || !prefix.StartsWith(head, StringComparison.Ordinal)) continue;
                var tail = prefix[head.Length..];
                if (!tokenizer.Encode(tail).AsSpan().SequenceEqual(ids.AsSpan(k))) continue;
                return new PrefixPlan { Tokenizer = tokenizer, Prefix = prefix, PrefixIds = ids, HeadTokens = k, Tail = tail };
            }
            return plan;
        }

        public bool TailAgreesOn(IReadOnlyList<string> candidates)
        {
            int n = candidates.Count;
            if (n == 0) return false;
            int step = Math.Max(1, n / SampleSize);
            for (int i = 0; i < n; i += step)
                if (!Agrees(candidates[i])) return false;
            return Agrees(candidates[n - 1]);
        }

        bool Agrees(string candidate)
        {
            var whole = Tokenizer.Encode(Prefix + candidate);
            var tail = Tokenizer.Encode(Tail + candidate);
            return whole.Length == HeadTokens + tail.Length
                && whole.AsSpan(0, HeadTokens).SequenceEqual(PrefixIds.AsSpan(0, HeadTokens))
                && whole.AsSpan(HeadTokens).SequenceEqual(tail);
        }
    }
}
