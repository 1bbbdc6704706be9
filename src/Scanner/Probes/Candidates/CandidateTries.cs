using MemScan.Scanner.Canaries;
using MemScan.Scanner.Models;
using MemScan.Scanner.Tokenizers;

namespace MemScan.Scanner.Probes.Exposure;

/// <summary>A canary's candidate tree and the tokens to feed before it (the prefix, as the tree needs it).</summary>
public sealed record CanaryTree(CandidateTrie Trie, int[] RootTokens);

/// <summary>Builds the candidate tree of a canary's space for a tokenizer, and the prefix state it hangs from.</summary>
public static class CandidateTries
{
    /// <summary>
    /// Subword spaces up to this size get an <see cref="ExplicitCandidateTrie"/> (every candidate
    /// tokenized once, ~58 MiB and ~2.5 s per 10^6 on 2 cores); larger ones a
    /// <see cref="LazyCandidateTrie"/>, whose memory does not grow with the space but which encodes
    /// candidates again for each node a search expands.
    /// </summary>
    public const double ExplicitLimit = 1e6;

    /// <summary>
    /// The largest subword space: its tree's root needs every candidate encoded once (GPT-2's BPE:
    /// ~7.5 µs a candidate on one core, so 10^9 is about two CPU-hours); beyond, refused up front.
    /// </summary>
    public const double LazyLimit = 1e9;

    public static CanaryTree For(ITextTokenizer tokenizer, Canary canary) => For(tokenizer, canary, log: null);

    /// <param name="log">Gets a line every <see cref="CandidateRangePass.ProgressEvery"/> while a large space's root pass runs.</param>
    public static CanaryTree For(ITextTokenizer tokenizer, Canary canary, Action<string>? log)
    {
        var prefix = tokenizer.Encode(canary.Prefix);
        if (prefix.Length == 0)
            throw new MemScanException($"canary '{canary.Id}': the template needs text before {Canary.Placeholder} to condition the model on");
        if (tokenizer is CharTokenizer chars)
        {
            var missing = canary.Space.Alphabet.Where(c => chars.IdOf(c) == 0).ToArray();
            if (missing.Length > 0)
                throw new MemScanException($"canary '{canary.Id}': the model's vocabulary lacks '{new string(missing)}' of the space {canary.Space}");
            return new CanaryTree(new UniformCandidateTrie(canary.Space.Alphabet.Select(chars.IdOf).ToArray(), canary.Space.Length), prefix);
        }
        return canary.Space.Size > ExplicitLimit ? Lazy(tokenizer, canary, log) : Explicit(tokenizer, canary);
    }

    /// <summary>Every candidate tokenized and stored: fastest for spaces up to <see cref="ExplicitLimit"/>.</summary>
    public static CanaryTree Explicit(ITextTokenizer tokenizer, Canary canary)
    {
        if (canary.Space.Size > int.MaxValue)
            throw new MemScanException($"canary '{canary.Id}': {canary.Space.Size:0.##e0} candidates are too many to store every one's tokens");
        var candidates = Enumerable.Range(0, (int)canary.Space.Size).Select(i => canary.Space.At(i)).ToArray();
        var tokenized = CandidateTokenization.Tokenize(tokenizer, canary.Prefix, candidates);
        int root = tokenized.ShortestSharedPrefix;
        if (root == 0)
            throw new MemScanException($"canary '{canary.Id}': the tokenizer merges the whole prefix into the candidates; nothing left to condition on");
        var trie = ExplicitCandidateTrie.Build(candidates.Length,
            i => [.. tokenized.PrefixIds.AsSpan(root, tokenized.SharedPrefixLength(i) - root), .. tokenized.TokensOf(i)],
            (a, b) => SharedPathMessage(tokenizer, canary, candidates[a], candidates[b]));
        return new CanaryTree(trie, tokenized.PrefixIds[..root]);
    }

    /// <summary>Nodes made when a search reaches them: memory bounded whatever the space (one pass over it for the root).</summary>
    public static CanaryTree Lazy(ITextTokenizer tokenizer, Canary canary, Action<string>? log = null)
    {
        if (canary.Space.Size > LazyLimit)
            throw new MemScanException($"canary '{canary.Id}': a {tokenizer.Describe()} tokenizer needs every candidate encoded once; {canary.Space.Size:0.##e0} candidates exceed the limit of {LazyLimit:0.##e0}");
        try
        {
            var trie = LazyCandidateTrie.Build(tokenizer, canary.Prefix, canary.Space,
                (a, b) => SharedPathMessage(tokenizer, canary, canary.Space.At(a), canary.Space.At(b)),
                log is null ? null : (encoded, elapsed) => log(RootPassProgress(canary, encoded, elapsed)));
            return new CanaryTree(trie, trie.RootTokens);
        }
        catch (MemScanException e) when (!e.Message.StartsWith("canary '", StringComparison.Ordinal))
        {
            throw new MemScanException($"canary '{canary.Id}': {e.Message}", e);
        }
    }

    /// <summary>"canary pin: tokenizing its 100,000,000 candidates for the tree's root: 12% (12,000,000) in 30 s, about 220 s left".</summary>
    public static string RootPassProgress(Canary canary, long encoded, TimeSpan elapsed)
    {
        double size = (double)canary.Space.Size, share = encoded / size;
        double left = share > 0 ? elapsed.TotalSeconds * (1 - share) / share : double.NaN;
        return $"canary {canary.Id}: tokenizing its {size:N0} candidates for the tree's root: {share * 100:F0}% ({encoded:N0}) in {elapsed.TotalSeconds:N0} s, about {left:N0} s left";
    }

    /// <summary>
    /// Why two candidates got one token path, naming only the symbols they differ in: the candidates
    /// themselves stay out of the message, since one of them may be the secret.
    /// </summary>
    static string SharedPathMessage(ITextTokenizer tokenizer, Canary canary, string a, string b)
    {
        var differing = a.Zip(b).Where(p => p.First != p.Second).Select(p => $"'{p.First}'/'{p.Second}'").Distinct();
        return $"canary '{canary.Id}': under {tokenizer.Describe()} candidates that differ only in {string.Join(", ", differing)} " +
               $"get the same tokens, so exposure cannot rank them apart; use a space whose symbols the tokenizer keeps distinct " +
               "(an uncased tokenizer folds upper into lower case; symbols outside its vocabulary become [UNK])";
    }

    /// <summary>
    /// The model state after the tree's root tokens, with next-token log-probs. Refuses up front a
    /// canary whose longest candidate would take the model past its context: ranking needs every
    /// candidate scored whole, and a cut candidate would not be a candidate.
    /// </summary>
    public static LmState Root(LanguageModel model, CanaryTree tree, Canary canary)
    {
        int needed = tree.RootTokens.Length + tree.Trie.MaxDepth;
        if (!model.Fits(needed))
            throw new MemScanException(
                $"canary '{canary.Id}' needs {needed} tokens ({tree.RootTokens.Length} of prefix, up to {tree.Trie.MaxDepth} of secret), " +
                $"more than {model.Name}'s context of {model.MaxSequenceLength} tokens{model.ContextNote}; shorten the template's text before {Canary.Placeholder}");
        return model.Advance([model.Initial], [tree.RootTokens])[0];
    }
}
