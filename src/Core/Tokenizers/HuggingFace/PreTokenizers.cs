using System.Text;
using System.Text.Json;

namespace MemScan.Scanner.Tokenizers.HuggingFace;

/// <summary>One pre-tokenization step: a stretch of normalized text (the <c>section</c>-th between added tokens) into pieces.</summary>
internal delegate List<string> PreTokenize(string text, int section);

/// <summary>
/// The tokenizer.json <c>pre_tokenizer</c>, with the Rust tokenizers' semantics (split behaviors,
/// Metaspace splitting, ByteLevel's byte alphabet). Unknown types are refused by name.
/// </summary>
internal static class PreTokenizers
{
    public static readonly IReadOnlyList<string> Known =
        ["Sequence", "Split", "ByteLevel", "Metaspace", "Whitespace", "WhitespaceSplit", "Digits", "Punctuation", "BertPreTokenizer"];

    /// <summary>GPT-2's pattern, which ByteLevel applies when <c>use_regex</c> is true.</summary>
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    static readonly CodePointRegex Gpt2Regex = new(Gpt2Pattern);
    static readonly CodePointRegex WhitespaceRegex = new(@"\w+|[^\w\s]+");
    static readonly CodePointRegex NonWhitespaceRegex = new(@"\S+");
    static readonly CodePointRegex PunctuationRegex = new(@"[\p{P}\x21-\x2F\x3A-\x40\x5B-\x60\x7B-\x7E]");
    static readonly CodePointRegex DigitRunRegex = new(@"\p{N}+");
    static readonly CodePointRegex DigitRegex = new(@"\p{N}");

    public static PreTokenize? Create(JsonElement? config, string where)
    {
        if (JsonFields.IsAbsent(config)) return null;
        var e = config!.Value;
        var type = JsonFields.Type(e, where);
        switch (type)
        {
            case "Sequence":
                var steps = JsonFields.Array(e, "pretokenizers", where).EnumerateArray()
                    .Select((p, i) => Create(p, $"{where}.pretokenizers[{i}]")).Where(p => p is not null).Select(p => p!).ToList();
                return (text, section) =>
                {
                    var pieces = new List<string> { text };
                    foreach (var step in steps)
                        pieces = pieces.SelectMany(p => step(p, section)).ToList();
                    return pieces;
                };
            case "Split":
                var pattern = Patterns.Create(JsonFields.Object(e, "pattern", where), $"{where}.pattern");
                var behavior = ParseBehavior(JsonFields.String(e, "behavior", where), where);
                bool invert = JsonFields.Bool(e, "invert", where, false);
                return (text, _) => Split(text, pattern, behavior, invert);
            case "ByteLevel":
                bool prefixSpace = JsonFields.Bool(e, "add_prefix_space", where, true);
                bool useRegex = JsonFields.Bool(e, "use_regex", where, true);
                return (text, _) =>
                {
                    if (prefixSpace && !text.StartsWith(' ')) text = " " + text;
                    var pieces = useRegex ? Split(text, Gpt2Regex, SplitBehavior.Isolated, false) : [text];
                    return pieces.Select(ByteLevelAlphabet.Encode).ToList();
                };
            case "Metaspace":
                return Metaspace(e, where);
            case "Whitespace":
                return (text, _) => Split(text, WhitespaceRegex, SplitBehavior.Removed, invert: true);
            case "WhitespaceSplit":
                return (text, _) => Split(text, NonWhitespaceRegex, SplitBehavior.Removed, invert: true);
            case "Digits":
                bool individual = JsonFields.Bool(e, "individual_digits", where, false);
                return (text, _) => Split(text, individual ? DigitRegex : DigitRunRegex, SplitBehavior.Isolated, false);
            case "Punctuation":
                var punctuation = JsonFields.OptionalString(e, "behavior", where) is { } b ? ParseBehavior(b, where) : SplitBehavior.Isolated;
                return (text, _) => Split(text, PunctuationRegex, punctuation, false);
            case "BertPreTokenizer":
                return (text, _) => Split(text, NonWhitespaceRegex, SplitBehavior.Removed, invert: true)
                    .SelectMany(w => Split(w, PunctuationRegex, SplitBehavior.Isolated, false)).ToList();
            default:
                throw new NotSupportedException($"{where}: pre-tokenizer type '{type}' is not supported (supported: {string.Join(", ", Known)})");
        }
    }

    static PreTokenize Metaspace(JsonElement e, string where)
    {
        var replacement = JsonFields.String(e, "replacement", where);
        if (replacement.Length == 0) throw new FormatException($"{where}.replacement is empty");
        // Older files say add_prefix_space (true = always); newer ones prepend_scheme.
        var scheme = JsonFields.OptionalString(e, "prepend_scheme", where)
                     ?? (JsonFields.Bool(e, "add_prefix_space", where, true) ? "always" : "never");
        if (scheme is not ("always" or "never" or "first"))
            throw new FormatException($"{where}.prepend_scheme '{scheme}' is not always, never or first");
        bool split = JsonFields.Bool(e, "split", where, true);
        var replacementRegex = CodePointRegex.Literal(replacement);
        return (text, section) =>
        {
            text = text.Replace(" ", replacement);
            if ((scheme == "always" || (scheme == "first" && section == 0)) && !text.StartsWith(replacement, StringComparison.Ordinal))
                text = replacement + text;
            return split ? Split(text, replacementRegex, SplitBehavior.MergedWithNext, false) : [text];
        };
    }

    internal enum SplitBehavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous }

    static SplitBehavior ParseBehavior(string value, string where) =>
        Enum.TryParse<SplitBehavior>(value, ignoreCase: false, out var b) && Enum.IsDefined(b) ? b
            : throw new FormatException($"{where}.behavior '{value}' is not one of {string.Join(", ", Enum.GetNames<SplitBehavior>())}");

    /// <summary>
    /// Splits <paramref name="text"/> at the matches of <paramref name="pattern"/> as the Rust
    /// <c>NormalizedString::split</c> does; with <paramref name="invert"/> the matches are the content
    /// and the text between them the delimiters.
    /// </summary>
    internal static List<string> Split(string text, CodePointRegex pattern, SplitBehavior behavior, bool invert)
    {
        var segments = new List<(int Start, int Length, bool IsDelimiter)>();
        int at = 0;
        foreach (var (start, length) in pattern.Matches(text))
        {
            if (start > at) segments.Add((at, start - at, invert));
            segments.Add((start, length, !invert));
            at = start + length;
        }
        if (at < text.Length) segments.Add((at, text.Length - at, invert));

        var pieces = new List<string>();
        var pending = new StringBuilder(); // MergedWithNext: delimiters waiting for the next piece
        bool lastWasDelimiter = false;
        foreach (var (start, length, isDelimiter) in segments)
        {
            var s = text.Substring(start, length);
            switch (behavior)
            {
                case SplitBehavior.Removed:
                    if (!isDelimiter) pieces.Add(s);
                    break;
                case SplitBehavior.Isolated:
                    pieces.Add(s);
                    break;
                case SplitBehavior.MergedWithPrevious:
                    if (isDelimiter && pieces.Count > 0 && !lastWasDelimiter) pieces[^1] += s;
                    else pieces.Add(s);
                    break;
                case SplitBehavior.MergedWithNext:
                    if (isDelimiter) { if (pending.Length > 0 && lastWasDelimiter) { pieces.Add(pending.ToString()); pending.Clear(); } pending.Append(s); }
                    else { pieces.Add(pending + s); pending.Clear(); }
                    break;
                case SplitBehavior.Contiguous:
                    if (isDelimiter && lastWasDelimiter) pieces[^1] += s;
                    else pieces.Add(s);
                    break;
            }
            lastWasDelimiter = isDelimiter;
        }
        if (pending.Length > 0) pieces.Add(pending.ToString());
        return pieces;
    }
}
