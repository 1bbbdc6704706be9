using Ens = ADRaffy.ENSNormalize.ENSNormalize;

namespace MemScan.Scanner.Tokenizers.HuggingFace;

/// <summary>
/// NFC and NFD for tokenizer.json normalizers. MemScan runs with invariant globalization (no ICU),
/// where <c>string.Normalize</c> leaves non-ASCII text unchanged, so "e\u0301" would not become "é"
/// for Qwen's NFC normalizer. ADRaffy.ENSNormalize carries the Unicode decomposition tables in managed
/// code (it passes Unicode's NormalizationTest.txt). NFKC/NFKD need the compatibility tables, which it
/// lacks: those normalizers are refused rather than run wrong.
/// </summary>
internal static class UnicodeForms
{
    public static string Nfc(string text) => IsAscii(text) ? text : Ens.NF.NFC(WithoutLoneSurrogates(text));

    public static string Nfd(string text) => IsAscii(text) ? text : Ens.NF.NFD(WithoutLoneSurrogates(text));

    static bool IsAscii(string text)
    {
        foreach (char c in text)
            if (c >= 0x80) return false;
        return true;
    }

    /// <summary>A lone surrogate is not a code point; it becomes U+FFFD, as UTF-8 encoding would make it anyway.</summary>
    static string WithoutLoneSurrogates(string text)
    {
        char[]? fixedUp = null;
        for (int i = 0; i < text.Length; i++)
        {
            bool pair = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            if (pair) { i++; continue; }
            if (!char.IsSurrogate(text[i])) continue;
            fixedUp ??= text.ToCharArray();
            fixedUp[i] = '\uFFFD';
        }
        return fixedUp is null ? text : new string(fixedUp);
    }
}
