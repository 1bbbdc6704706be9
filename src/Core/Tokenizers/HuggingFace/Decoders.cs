using System.Text;
using System.Text.Json;

namespace MemScan.Scanner.Tokenizers.HuggingFace;

/// <summary>One decoding step over the list of token strings (the Rust <c>decode_chain</c>).</summary>
internal delegate List<string> DecodeChain(List<string> tokens);

/// <summary>
/// The tokenizer.json <c>decoder</c>: token strings back to text. ByteLevel reads GPT-2's byte
/// alphabet, ByteFallback turns <c>&lt;0xXX&gt;</c> pieces into bytes (an invalid UTF-8 run becomes one
/// U+FFFD per byte, as in Rust), Metaspace/Replace turn ▁ back into spaces.
/// </summary>
internal static class Decoders
{
    public static readonly IReadOnlyList<string> Known =
        ["Sequence", "ByteLevel", "ByteFallback", "Fuse", "Replace", "Strip", "Metaspace", "WordPiece", "BPEDecoder"];

    public static DecodeChain? Create(JsonElement? config, string where)
    {
        if (JsonFields.IsAbsent(config)) return null;
        var e = config!.Value;
        var type = JsonFields.Type(e, where);
        switch (type)
        {
            case "Sequence":
                var steps = JsonFields.Array(e, "decoders", where).EnumerateArray()
                    .Select((d, i) => Create(d, $"{where}.decoders[{i}]")).Where(d => d is not null).Select(d => d!).ToList();
                return tokens => steps.Aggregate(tokens, (t, step) => step(t));
            case "ByteLevel":
                return tokens =>
                {
                    var bytes = new List<byte>();
                    foreach (var t in tokens) ByteLevelAlphabet.AppendBytes(t, bytes);
                    return [Encoding.UTF8.GetString(bytes.ToArray())];
                };
            case "ByteFallback":
                return ByteFallback;
            case "Fuse":
                return tokens => [string.Concat(tokens)];
            case "Replace":
                var pattern = Patterns.Create(JsonFields.Object(e, "pattern", where), $"{where}.pattern");
                var content = JsonFields.String(e, "content", where);
                return tokens => tokens.Select(t => pattern.Replace(t, content)).ToList();
            case "Strip":
                var strip = JsonFields.String(e, "content", where);
                if (strip.Length != 1) throw new FormatException($"{where}.content must be one character");
                int start = JsonFields.Int(e, "start", where), stop = JsonFields.Int(e, "stop", where);
                return tokens => tokens.Select(t => Strip(t, strip[0], start, stop)).ToList();
            case "Metaspace":
                var replacement = JsonFields.String(e, "replacement", where);
                var scheme = JsonFields.OptionalString(e, "prepend_scheme", where)
                             ?? (JsonFields.Bool(e, "add_prefix_space", where, true) ? "always" : "never");
                return tokens => tokens.Select((t, i) =>
                {
                    var s = t.Replace(replacement, " ");
                    return i == 0 && scheme != "never" && s.StartsWith(' ') ? s[1..] : s;
                }).ToList();
            case "WordPiece":
                var prefix = JsonFields.OptionalString(e, "prefix", where) ?? "##";
                bool cleanup = JsonFields.Bool(e, "cleanup", where, true);
                return tokens => tokens.Select((t, i) =>
                {
                    var s = i == 0 ? t : t.StartsWith(prefix, StringComparison.Ordinal) ? t[prefix.Length..] : " " + t;
                    return cleanup ? CleanUp(s) : s;
                }).ToList();
            case "BPEDecoder":
                var suffix = JsonFields.OptionalString(e, "suffix", where) ?? "</w>";
                return tokens => tokens.Select((t, i) => t.Replace(suffix, i == tokens.Count - 1 ? "" : " ")).ToList();
            default:
                throw new NotSupportedException($"{where}: decoder type '{type}' is not supported (supported: {string.Join(", ", Known)})");
        }
    }

    static List<string> ByteFallback(List<string> tokens)
    {
        var result = new List<string>();
        var bytes = new List<byte>();
        void Flush()
        {
            if (bytes.Count == 0) return;
            var array = bytes.ToArray();
            try { result.Add(new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(array)); }
            catch (DecoderFallbackException) { result.Add(new string('\uFFFD', array.Length)); }
            bytes.Clear();
        }
        foreach (var t in tokens)
        {
            if (t.Length == 6 && t.StartsWith("<0x", StringComparison.Ordinal) && t[5] == '>' &&
                byte.TryParse(t.AsSpan(3, 2), System.Globalization.NumberStyles.HexNumber, null, out byte b))
            {
                bytes.Add(b);
                continue;
            }
            Flush();
            result.Add(t);
        }
        Flush();
        return result;
    }

    static string Strip(string token, char content, int start, int stop)
    {
        int from = 0, to = token.Length;
        while (from < start && from < token.Length && token[from] == content) from++;
        for (int i = 0; i < stop && to > from && token[to - 1] == content; i++) to--;
        return token[from..to];
    }

    /// <summary>The Rust/transformers clean-up: no space before . ? ! , and in a few English contractions.</summary>
    static string CleanUp(string s) => s.Replace(" .", ".").Replace(" ?", "?").Replace(" !", "!").Replace(" ,", ",")
        .Replace(" ' ", "'").Replace(" n't", "n't").Replace(" 'm", "'m").Replace(" 's", "'s").Replace(" 've", "'ve").Replace(" 're", "'re");
}
