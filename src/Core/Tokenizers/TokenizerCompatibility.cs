namespace MemScan.Scanner.Tokenizers;

/// <summary>
/// Does a tokenizer belong to a model? A scan with the wrong tokenizer produces plausible-looking
/// garbage, so the checks run before any probe: vocabulary size against the model's logits, and a
/// probe string that must come back unchanged through encode and decode.
/// </summary>
public static class TokenizerCompatibility
{
    /// <summary>Model vocabularies are often padded (GPT-2 50,257 to 50,304); a gap this small is no warning.</summary>
    public const int PaddingAllowance = 128;

    /// <summary>A tokenizer covering less than this share of the model's logits draws a warning.</summary>
    public const double WarnBelowShare = 0.9;

    /// <summary>Letters, digits, punctuation, runs of spaces, a newline and non-ASCII text.</summary>
    public const string DefaultProbe = "Call me Ishmael. Some years ago, 1851:  \"never mind how long\"\n\tPIN 012345 — ünïcödé ✓";

    /// <summary>
    /// Compares the tokenizer's vocabulary with the model's logits width <paramref name="modelVocab"/>.
    /// Throws when the tokenizer has more tokens than the model (its ids would index past the logits);
    /// returns a warning when it has much fewer (a different tokenizer of the same family?); null when fine.
    /// </summary>
    public static string? CheckVocabulary(ITextTokenizer tokenizer, long modelVocab)
    {
        if (modelVocab <= 0)
            throw new MemScanException($"the model's logits have {modelVocab} entries; expected a positive vocabulary size");
        int n = tokenizer.VocabSize;
        if (n > modelVocab)
            throw new MemScanException(
                $"tokenizer {tokenizer.Describe()} has {n} tokens but the model's logits have {modelVocab}: wrong tokenizer?");
        if (modelVocab - n > PaddingAllowance && n < WarnBelowShare * modelVocab)
            return $"tokenizer {tokenizer.Describe()} has {n} tokens but the model's logits have {modelVocab} " +
                   $"({modelVocab - n} more): the model may use a different tokenizer, and its findings may be meaningless";
        return null;
    }

    /// <summary>
    /// Encodes and decodes <paramref name="probe"/> and throws unless it comes back unchanged with
    /// every id inside the vocabulary. For char vocabularies pass text they cover (e.g. a canary).
    /// </summary>
    public static void CheckRoundTrip(ITextTokenizer tokenizer, string probe = DefaultProbe)
    {
        var ids = tokenizer.Encode(probe);
        int bad = Array.FindIndex(ids, id => id < 0 || id >= tokenizer.VocabSize);
        if (bad >= 0)
            throw new MemScanException(
                $"tokenizer {tokenizer.Describe()} encoded the probe to id {ids[bad]} at position {bad}, outside its vocabulary of {tokenizer.VocabSize}");
        var back = tokenizer.Decode(ids);
        if (back == probe) return;
        int at = 0;
        while (at < back.Length && at < probe.Length && back[at] == probe[at]) at++;
        throw new MemScanException(
            $"tokenizer {tokenizer.Describe()} does not round-trip: \"{Escape(probe)}\" came back as \"{Escape(back)}\" " +
            $"(first difference at character {at} of {probe.Length})");
    }

    static string Escape(string s) =>
        s.Replace("\\", "\\\\").Replace("\n", "\\n").Replace("\r", "\\r").Replace("\t", "\\t").Replace("\0", "\\0");
}
