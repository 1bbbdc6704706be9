using System.Globalization;
using System.Text;

namespace MemScan.Scanner.Tokenizers;

/// <summary>
/// BERT's "basic tokenization", the step before WordPiece: text becomes the words that WordPiece
/// then splits into pieces. It follows the reference (Google's tokenization.py, Hugging Face's
/// BasicTokenizer), because a model only memorized the ids that tokenizer gave its training text:
/// drop NUL, U+FFFD and control/format characters; treat tab, newline, CR and space separators as
/// spaces; put spaces around CJK ideographs; split at spaces; lowercase and strip accents (NFD, drop
/// non-spacing marks) when the vocabulary is uncased; make every punctuation character a word of its
/// own, where punctuation is Unicode P* plus every ASCII symbol ($, +, =, ^, ...).
/// </summary>
/// <remarks>
/// Not Microsoft.ML.Tokenizers' BertTokenizer: in 2.0.1 its pre-tokenizer keeps only \w+ and \p{P},
/// so "pin=123" loses its "=" and emoji vanish instead of becoming [UNK], and its normalizer deletes
/// tab and newline, gluing the words on either side into one ("a\nb" encodes as "ab").
/// </remarks>
internal static class BertBasicTokenizer
{
    /// <summary>Appends the words of <paramref name="text"/> to <paramref name="words"/>.</summary>
    public static void AppendWords(string text, bool uncased, List<string> words)
    {
        foreach (var chunk in Clean(text).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            SplitOnPunctuation(uncased ? LowercaseWithoutAccents(chunk) : chunk, words);
    }

    /// <summary>Removes what the reference removes, turns its whitespace into ' ' and isolates CJK ideographs.</summary>
    static string Clean(string text)
    {
        var clean = new StringBuilder(text.Length + 8);
        foreach (var rune in text.EnumerateRunes())
        {
            int cp = rune.Value;
            if (cp == 0 || cp == 0xFFFD) continue; // also what a lone surrogate enumerates as
            if (IsWhitespace(rune)) clean.Append(' ');
            else if (IsControl(rune)) continue;
            else if (IsCjkIdeograph(cp)) clean.Append(' ').Append(rune.ToString()).Append(' ');
            else clean.Append(rune.ToString());
        }
        return clean.ToString();
    }

    static string LowercaseWithoutAccents(string word) => BertAccentFolding.Fold(word.ToLowerInvariant());

    static void SplitOnPunctuation(string word, List<string> words)
    {
        int start = 0;
        for (int i = 0; i < word.Length;)
        {
            var rune = Rune.GetRuneAt(word, i);
            int next = i + rune.Utf16SequenceLength;
            if (IsPunctuation(rune))
            {
                if (i > start) words.Add(word[start..i]);
                words.Add(word[i..next]);
                start = next;
            }
            i = next;
        }
        if (start < word.Length) words.Add(start == 0 ? word : word[start..]);
    }

    // The reference's whitespace is Zs, tab, newline and CR; U+2028/U+2029 (Zl, Zp) it keeps, but then
    // Python's str.split() splits at them, so they separate words too.
    static bool IsWhitespace(Rune r) =>
        r.Value is ' ' or '\t' or '\n' or '\r'
        || Rune.GetUnicodeCategory(r) is UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    // Tab, newline and CR are whitespace above, before this is asked.
    static bool IsControl(Rune r) => Rune.GetUnicodeCategory(r) is UnicodeCategory.Control or UnicodeCategory.Format;

    static bool IsPunctuation(Rune r)
    {
        int cp = r.Value;
        if (cp is >= 33 and <= 47 or >= 58 and <= 64 or >= 91 and <= 96 or >= 123 and <= 126) return true;
        return Rune.GetUnicodeCategory(r) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    /// <summary>The CJK Unified Ideographs blocks the reference isolates (not Hangul, Hiragana or Katakana).</summary>
    static bool IsCjkIdeograph(int cp) =>
        cp is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x2A6DF or >= 0x2A700 and <= 0x2B73F
            or >= 0x2B740 and <= 0x2B81F or >= 0x2B820 and <= 0x2CEAF or >= 0xF900 and <= 0xFAFF or >= 0x2F800 and <= 0x2FA1F;
}
