using System.Globalization;
using System.Text;

namespace MemScan.Scanner.Tokenizers;

/// <summary>
/// Uncased BERT's accent stripping: NFD, then drop the non-spacing marks ("résumé" → "resume",
/// "안" → its three jamo). MemScan runs with InvariantGlobalization, where
/// <see cref="string.Normalize()"/> leaves "é" composed, so the decompositions come from
/// <see cref="BertAccentTable"/> and, for Hangul syllables, from the Unicode arithmetic.
/// </summary>
internal static class BertAccentFolding
{
    static readonly Dictionary<int, string> Folded = Parse(BertAccentTable.Pairs);

    /// <summary><paramref name="text"/> decomposed, without non-spacing marks.</summary>
    public static string Fold(string text)
    {
        StringBuilder? folded = null; // most words have nothing to fold
        int i = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            string? replacement = IsHangulSyllable(rune.Value) ? HangulJamo(rune.Value)
                : Folded.TryGetValue(rune.Value, out var f) ? f
                : Rune.GetUnicodeCategory(rune) == UnicodeCategory.NonSpacingMark ? ""
                : null;
            if (replacement is not null)
            {
                folded ??= new StringBuilder(text.Length).Append(text, 0, i);
                folded.Append(replacement);
            }
            else folded?.Append(rune.ToString());
            i += rune.Utf16SequenceLength;
        }
        return folded?.ToString() ?? text;
    }

    const int SyllableBase = 0xAC00, LeadBase = 0x1100, VowelBase = 0x1161, TrailBase = 0x11A7;
    const int VowelCount = 21, TrailCount = 28, SyllableCount = 19 * VowelCount * TrailCount;

    static bool IsHangulSyllable(int cp) => cp >= SyllableBase && cp < SyllableBase + SyllableCount;

    static string HangulJamo(int cp)
    {
        int s = cp - SyllableBase, trail = s % TrailCount;
        var jamo = new StringBuilder(3)
            .Append((char)(LeadBase + s / (VowelCount * TrailCount)))
            .Append((char)(VowelBase + s % (VowelCount * TrailCount) / TrailCount));
        if (trail != 0) jamo.Append((char)(TrailBase + trail));
        return jamo.ToString();
    }

    static Dictionary<int, string> Parse(string pairs)
    {
        var map = new Dictionary<int, string>();
        foreach (var pair in pairs.Split([' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries))
        {
            int colon = pair.IndexOf(':');
            var folded = new StringBuilder();
            foreach (var hex in pair[(colon + 1)..].Split('+', StringSplitOptions.RemoveEmptyEntries))
                folded.Append(char.ConvertFromUtf32(int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
            map[int.Parse(pair.AsSpan(0, colon), NumberStyles.HexNumber, CultureInfo.InvariantCulture)] = folded.ToString();
        }
        return map;
    }
}
