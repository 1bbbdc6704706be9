using System.Text.Json;

namespace MemScan.Scanner.Tokenizers.HuggingFace;

/// <summary>
/// What a tokenizer.json <c>post_processor</c> puts around a single sequence when special tokens are
/// asked for: Llama-2's and Gemma-3's TemplateProcessing add <c>&lt;s&gt;</c> / <c>&lt;bos&gt;</c> before it,
/// BERT's adds [CLS] and [SEP]; ByteLevel adds nothing.
/// </summary>
internal sealed record SpecialTokenFrame(IReadOnlyList<int> Prefix, IReadOnlyList<int> Suffix)
{
    public static readonly SpecialTokenFrame None = new([], []);

    public static readonly IReadOnlyList<string> Known = ["TemplateProcessing", "BertProcessing", "RobertaProcessing", "ByteLevel", "Sequence"];

    public static SpecialTokenFrame Read(JsonElement? config, string where)
    {
        if (JsonFields.IsAbsent(config)) return None;
        var e = config!.Value;
        var type = JsonFields.Type(e, where);
        switch (type)
        {
            case "ByteLevel":
                return None;
            case "BertProcessing":
            case "RobertaProcessing":
                return new([TokenId(e, "cls", where)], [TokenId(e, "sep", where)]);
            case "TemplateProcessing":
                return Template(e, where);
            case "Sequence":
                var prefix = new List<int>();
                var suffix = new List<int>();
                int i = 0;
                foreach (var p in JsonFields.Array(e, "processors", where).EnumerateArray())
                {
                    var frame = Read(p, $"{where}.processors[{i++}]");
                    prefix.InsertRange(0, frame.Prefix); // a later processor wraps what the earlier one made
                    suffix.AddRange(frame.Suffix);
                }
                return new(prefix, suffix);
            default:
                throw new NotSupportedException($"{where}: post-processor type '{type}' is not supported (supported: {string.Join(", ", Known)})");
        }
    }

    /// <summary><c>"cls": ["[CLS]", 101]</c>.</summary>
    static int TokenId(JsonElement e, string name, string where)
    {
        var pair = JsonFields.Array(e, name, where);
        if (pair.GetArrayLength() != 2 || !pair[1].TryGetInt32(out int id) || id < 0)
            throw new FormatException($"{where}.{name} must be [token, id]");
        return id;
    }

    static SpecialTokenFrame Template(JsonElement e, string where)
    {
        var specials = JsonFields.Object(e, "special_tokens", where);
        var prefix = new List<int>();
        var suffix = new List<int>();
        bool seenSequence = false;
        int i = 0;
        foreach (var item in JsonFields.Array(e, "single", where).EnumerateArray())
        {
            var at = $"{where}.single[{i++}]";
            if (JsonFields.Optional(item, "Sequence") is not null) { seenSequence = true; continue; }
            var special = JsonFields.Object(item, "SpecialToken", at);
            var name = JsonFields.String(special, "id", $"{at}.SpecialToken");
            var ids = JsonFields.Array(JsonFields.Object(specials, name, $"{where}.special_tokens"), "ids", $"{where}.special_tokens.{name}");
            foreach (var id in ids.EnumerateArray())
            {
                if (!id.TryGetInt32(out int value) || value < 0) throw new FormatException($"{where}.special_tokens.{name}.ids must be integers >= 0");
                (seenSequence ? suffix : prefix).Add(value);
            }
        }
        return new(prefix, suffix);
    }
}
