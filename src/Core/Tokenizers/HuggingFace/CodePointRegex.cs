using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MemScan.Scanner.Tokenizers.HuggingFace;

/// <summary>
/// A tokenizer.json regex matched over code points, as the Rust tokenizers (and transformers.js with
/// its <c>u</c> flag) match it. .NET matches UTF-16 units: an emoji is two surrogates that are neither
/// <c>\p{L}</c> nor <c>\p{N}</c>, so <c>[^\r\n\p{L}\p{N}]?\p{L}+</c> splits "😀there" into "😀" and
/// "there" where the reference keeps "😀there". Text with surrogate pairs is therefore matched on a
/// shadow string that has one BMP character of the same Unicode category per code point, and the
/// matches are mapped back onto the original text.
/// </summary>
internal sealed class CodePointRegex
{
    /// <summary>Untrusted patterns: a catastrophic one fails with a clear line instead of hanging a scan.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(10);

    readonly Regex _regex;
    readonly TimeSpan _timeout;

    readonly string? _literal;

    public CodePointRegex(string pattern, TimeSpan? timeout = null)
    {
        Pattern = pattern;
        _timeout = timeout ?? MatchTimeout;
        _regex = new Regex(pattern, RegexOptions.CultureInvariant, _timeout);
    }

    /// <summary>A pattern that matches <paramref name="text"/> literally (a tokenizer.json <c>{"String": ...}</c>), matched without the regex engine.</summary>
    public static CodePointRegex Literal(string text)
    {
        if (text.Length == 0) throw new FormatException("a String pattern is empty");
        return new CodePointRegex(Regex.Escape(text), literal: text);
    }

    CodePointRegex(string pattern, string literal) : this(pattern) => _literal = literal;

    public string Pattern { get; }

    /// <summary>The (start, length) of each non-empty match, in UTF-16 units of <paramref name="text"/>.</summary>
    public List<(int Start, int Length)> Matches(string text)
    {
        var result = new List<(int, int)>();
        if (_literal is not null)
        {
            for (int at = text.IndexOf(_literal, StringComparison.Ordinal); at >= 0; at = text.IndexOf(_literal, at + _literal.Length, StringComparison.Ordinal))
                result.Add((at, _literal.Length));
            return result;
        }
        try
        {
            if (!HasSurrogates(text))
            {
                foreach (Match m in _regex.Matches(text))
                    if (m.Length > 0) result.Add((m.Index, m.Length));
                return result;
            }
            var (shadow, offsets) = Shadow(text);
            foreach (Match m in _regex.Matches(shadow))
                if (m.Length > 0) result.Add((offsets[m.Index], offsets[m.Index + m.Length] - offsets[m.Index]));
            return result;
        }
        catch (RegexMatchTimeoutException)
        {
            throw new MemScanException(
                $"tokenizer.json regex '{Pattern}' took over {_timeout.TotalSeconds:0.#} s on a text of {text.Length} characters (a pathological pattern?)");
        }
    }

    /// <summary>Every match replaced by the literal <paramref name="content"/>.</summary>
    public string Replace(string text, string content)
    {
        if (_literal is not null) return text.Replace(_literal, content, StringComparison.Ordinal);
        var matches = Matches(text);
        if (matches.Count == 0) return text;
        var sb = new StringBuilder(text.Length);
        int at = 0;
        foreach (var (start, length) in matches)
        {
            sb.Append(text, at, start - at).Append(content);
            at = start + length;
        }
        return sb.Append(text, at, text.Length - at).ToString();
    }

    static bool HasSurrogates(string text)
    {
        foreach (char c in text)
            if (char.IsSurrogate(c)) return true;
        return false;
    }

    /// <summary>One char per code point, and for each shadow index the UTF-16 offset in the original (plus the end).</summary>
    static (string Shadow, int[] Offsets) Shadow(string text)
    {
        var shadow = new StringBuilder(text.Length);
        var offsets = new List<int>(text.Length + 1);
        for (int i = 0; i < text.Length; i++)
        {
            offsets.Add(i);
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                shadow.Append(StandIn(CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(text[i], text[i + 1]))));
                i++;
            }
            else shadow.Append(text[i]);
        }
        offsets.Add(text.Length);
        return (shadow.ToString(), offsets.ToArray());
    }

    /// <summary>A BMP character of category <paramref name="category"/> that no tokenizer pattern names literally.</summary>
    static char StandIn(UnicodeCategory category) => category switch
    {
        UnicodeCategory.UppercaseLetter => '\u00C0',
        UnicodeCategory.LowercaseLetter => '\u00DF',
        UnicodeCategory.TitlecaseLetter => '\u01C5',
        UnicodeCategory.ModifierLetter => '\u02B0',
        UnicodeCategory.OtherLetter => '\u01BB',
        UnicodeCategory.NonSpacingMark => '\u0300',
        UnicodeCategory.SpacingCombiningMark => '\u0903',
        UnicodeCategory.EnclosingMark => '\u0488',
        UnicodeCategory.DecimalDigitNumber => '\u0660',
        UnicodeCategory.LetterNumber => '\u16EE',
        UnicodeCategory.OtherNumber => '\u00B2',
        UnicodeCategory.ConnectorPunctuation => '\u203F',
        UnicodeCategory.DashPunctuation => '\u2010',
        UnicodeCategory.OpenPunctuation => '\u2045',
        UnicodeCategory.ClosePunctuation => '\u2046',
        UnicodeCategory.InitialQuotePunctuation => '\u00AB',
        UnicodeCategory.FinalQuotePunctuation => '\u00BB',
        UnicodeCategory.OtherPunctuation => '\u00B6',
        UnicodeCategory.MathSymbol => '\u00AC',
        UnicodeCategory.CurrencySymbol => '\u00A2',
        UnicodeCategory.ModifierSymbol => '\u02C2',
        UnicodeCategory.OtherSymbol => '\u00A6',
        UnicodeCategory.Format => '\u00AD',
        UnicodeCategory.PrivateUse => '\uE000',
        _ => '\u0378', // unassigned
    };
}
