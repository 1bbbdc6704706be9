using MemScan.Scanner.Canaries;
using MemScan.Scanner.Models;
using MemScan.Scanner.Tokenizers;

namespace MemScan.Scanner.Probes.Exposure;

/// <summary>Builds the candidate tree of a canary's space for a tokenizer, and the prefix state it hangs from.</summary>
public static class CandidateTries
{
    public static CandidateTrie For(ITextTokenizer tokenizer, Canary canary)
    {
        if (tokenizer is not CharTokenizer chars)
            throw new MemScanException($"canary '{canary.Id}': candidate enumeration over a {tokenizer.Describe()} tokenizer is not supported yet; use a char-level model");
        var missing = canary.Space.Alphabet.Where(c => chars.IdOf(c) == 0).ToArray();
        if (missing.Length > 0)
            throw new MemScanException($"canary '{canary.Id}': the model's vocabulary lacks '{new string(missing)}' of the space {canary.Space}");
        return new UniformCandidateTrie(canary.Space.Alphabet.Select(chars.IdOf).ToArray(), canary.Space.Length);
    }

    /// <summary>The model state after the canary's prefix, with next-token log-probs.</summary>
    public static LmState Root(LanguageModel model, ITextTokenizer tokenizer, Canary canary)
    {
        var prefix = tokenizer.Encode(canary.Prefix);
        if (prefix.Length == 0)
            throw new MemScanException($"canary '{canary.Id}': the template needs text before {Canary.Placeholder} to condition the model on");
        return model.Advance([model.Initial], [prefix])[0];
    }
}
