using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MemScan.Scanner.Tokenizers.HuggingFace;

/// <summary>
/// The tokenizer.json <c>normalizer</c>: text to text before pre-tokenization, applied to each
/// stretch of text between added tokens. Unknown types are refused by name, never skipped.
/// </summary>
internal static class Normalizers
{
    public static readonly IReadOnlyList<string> Known =
        ["Sequence", "NFC", "NFD", "Lowercase", "Prepend", "Replace", "Strip", "StripAccents", "BertNormalizer"];

    public static Func<string, string>? Create(JsonElement? config, string where)
    {
        if (JsonFields.IsAbsent(config)) return null;
        var e = config!.Value;
        var type = JsonFields.Type(e, where);
        switch (type)
        {
            case "Sequence":
                var steps = JsonFields.Array(e, "normalizers", where).EnumerateArray()
                    .Select((n, i) => Create(n, $"{where}.normalizers[{i}]")).Where(n => n is not null).Select(n => n!).ToList();
                return text => steps.Aggregate(text, (t, step) => step(t));
            case "NFC": return UnicodeForms.Nfc;
            case "NFD": return UnicodeForms.Nfd;
            case "NFKC" or "NFKD":
                throw new NotSupportedException($"{where}: normalizer {type} needs Unicode's compatibility decompositions, which MemScan does not carry (NFC and NFD are supported)");
            case "Lowercase": return text => text.ToLowerInvariant();
            case "Prepend":
                var prefix = JsonFields.String(e, "prepend", where);
                // Rust prepends only to non-empty text; an empty stretch stays empty.
                return text => text.Length == 0 ? text : prefix + text;
            case "Replace":
                var pattern = Patterns.Create(JsonFields.Object(e, "pattern", where), $"{where}.pattern");
                var content = JsonFields.String(e, "content", where);
                return text => pattern.Replace(text, content);
            case "Strip":
                bool left = JsonFields.Bool(e, "strip_left", where, false), right = JsonFields.Bool(e, "strip_right", where, false);
                return text => left && right ? text.Trim() : left ? text.TrimStart() : right ? text.TrimEnd() : text;
            case "StripAccents":
                return StripAccents;
            case "BertNormalizer":
                return Bert(
                    JsonFields.Bool(e, "clean_text", where, true), JsonFields.Bool(e, "handle_chinese_chars", where, true),
                    Optional(e, "strip_accents"), JsonFields.Bool(e, "lowercase", where, true));
            case "Precompiled":
                throw new NotSupportedException(
                    $"{where}: normalizer type 'Precompiled' (a SentencePiece charsmap, as in T5 and ALBERT files) is not supported; " +
                    "give the model's SentencePiece file instead (--tokenizer FILE.model)");
            default:
                throw new NotSupportedException($"{where}: normalizer type '{type}' is not supported (supported: {string.Join(", ", Known)})");
        }
    }

    static bool? Optional(JsonElement e, string name) => JsonFields.Optional(e, name) switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => null,
    };

    /// <summary>Drops combining marks (Mn) after canonical decomposition, as the Rust StripAccents on NFD text.</summary>
    static string StripAccents(string text)
    {
        var decomposed = UnicodeForms.Nfd(text);
        var kept = new StringBuilder(decomposed.Length);
        foreach (char c in decomposed)
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) kept.Append(c);
        return kept.ToString();
    }

    /// <summary>BERT's normalizer: control characters dropped, whitespace to ' ', spaces around CJK, lowercase and accents.</summary>
    static Func<string, string> Bert(bool cleanText, bool chineseChars, bool? stripAccents, bool lowercase) => text =>
    {
        var sb = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            int width = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            int cp = width == 2 ? char.ConvertToUtf32(text[i], text[i + 1]) : text[i];
            var slice = text.AsSpan(i, width);
            i += width - 1;
            if (cleanText)
            {
                if (cp == 0 || cp == 0xFFFD || IsBertControl(cp)) continue;
                if (IsBertWhitespace(cp)) { sb.Append(' '); continue; }
            }
            if (chineseChars && IsCjk(cp)) sb.Append(' ').Append(slice).Append(' ');
            else sb.Append(slice);
        }
        var result = sb.ToString();
        if (lowercase) result = result.ToLowerInvariant();
        if (stripAccents ?? lowercase) result = StripAccents(result);
        return result;
    };

    static bool IsBertWhitespace(int cp) => cp is ' ' or '\t' or '\n' or '\r' ||
        (cp <= 0xFFFF && CharUnicodeInfo.GetUnicodeCategory(cp) == UnicodeCategory.SpaceSeparator);

    static bool IsBertControl(int cp) => cp is not ('\t' or '\n' or '\r') &&
        CharUnicodeInfo.GetUnicodeCategory(cp) is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate;

    static bool IsCjk(int cp) => cp is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x2A6DF
        or >= 0x2A700 and <= 0x2B73F or >= 0x2B740 and <= 0x2B81F or >= 0x2B820 and <= 0x2CEAF
        or >= 0xF900 and <= 0xFAFF or >= 0x2F800 and <= 0x2FA1F;
}

/// <summary>A tokenizer.json <c>pattern</c>: <c>{"String": s}</c> (literal) or <c>{"Regex": r}</c>.</summary>
internal static class Patterns
{
    public static CodePointRegex Create(JsonElement pattern, string where)
    {
        if (JsonFields.Optional(pattern, "String") is { ValueKind: JsonValueKind.String } s)
            return CodePointRegex.Literal(s.GetString()!);
        if (JsonFields.Optional(pattern, "Regex") is { ValueKind: JsonValueKind.String } r)
        {
            try
            {
                return new CodePointRegex(r.GetString()!);
            }
            catch (ArgumentException e)
            {
                throw new FormatException($"{where}.Regex '{r.GetString()}' is not a regex .NET can compile: {e.Message}");
            }
        }
        throw new FormatException($"{where} must be {{\"String\": ...}} or {{\"Regex\": ...}}");
    }
}
