using System.Globalization;
using MemScan.Scanner.Manifest;

namespace MemScan.Scanner.Folders;

/// <summary>
/// What MemScan reads from ONNX Runtime GenAI's <c>genai_config.json</c>: the decoder's file, its
/// input and output names (caches named with a <c>%d</c> layer placeholder), the context length,
/// heads and layers, and the special token ids.
/// </summary>
public sealed record GenAiConfig
{
    public const string FileName = "genai_config.json";

    public string? Filename { get; init; }
    public int? ContextLength { get; init; }
    public int? VocabSize { get; init; }
    public int? Layers { get; init; }
    public int? Heads { get; init; }
    public int? KvHeads { get; init; }
    public int[] BosIds { get; init; } = [];
    public int[] EosIds { get; init; } = [];
    public int[] PadIds { get; init; } = [];
    public string? InputIds { get; init; }
    public string? Logits { get; init; }
    public string? PastKeyNames { get; init; }
    public string? PastValueNames { get; init; }
    public string? PresentKeyNames { get; init; }
    public string? PresentValueNames { get; init; }

    public static GenAiConfig? Load(string dir)
    {
        using var doc = FolderJson.Load(Path.Combine(dir, FileName));
        if (doc is null) return null;
        var model = FolderJson.Child(doc.RootElement, "model");
        var decoder = FolderJson.Child(model, "decoder");
        var inputs = FolderJson.Child(decoder, "inputs");
        var outputs = FolderJson.Child(decoder, "outputs");
        return new GenAiConfig
        {
            Filename = FolderJson.String(decoder, "filename"),
            ContextLength = FolderJson.FirstInt(model, "context_length")?.Value,
            VocabSize = FolderJson.FirstInt(model, "vocab_size")?.Value,
            Layers = FolderJson.FirstInt(decoder, "num_hidden_layers")?.Value,
            Heads = FolderJson.FirstInt(decoder, "num_attention_heads")?.Value,
            KvHeads = FolderJson.FirstInt(decoder, "num_key_value_heads")?.Value,
            BosIds = FolderJson.Ids(model, "bos_token_id"),
            EosIds = FolderJson.Ids(model, "eos_token_id"),
            PadIds = FolderJson.Ids(model, "pad_token_id"),
            InputIds = FolderJson.String(inputs, "input_ids"),
            Logits = FolderJson.String(outputs, "logits"),
            PastKeyNames = FolderJson.String(inputs, "past_key_names"),
            PastValueNames = FolderJson.String(inputs, "past_value_names"),
            PresentKeyNames = FolderJson.String(outputs, "present_key_names"),
            PresentValueNames = FolderJson.String(outputs, "present_value_names"),
        };
    }

    /// <summary>
    /// The tensor names as a profile would give them: token ids, logits and one key and one value
    /// state pair per layer from the <c>%d</c> patterns. Null when the file names none of them.
    /// </summary>
    public LmIoSpec? Io()
    {
        bool Usable(string? past, string? present) => past is not null && present is not null && past.Contains("%d") && present.Contains("%d");
        var state = new List<StatePair>();
        for (int l = 0; l < (Layers ?? 0); l++)
        {
            // key and value of a layer side by side, as a graph lists them
            if (Usable(PastKeyNames, PresentKeyNames)) state.Add(new StatePair(Layer(PastKeyNames!, l), Layer(PresentKeyNames!, l)));
            if (Usable(PastValueNames, PresentValueNames)) state.Add(new StatePair(Layer(PastValueNames!, l), Layer(PresentValueNames!, l)));
        }
        if (InputIds is null && Logits is null && state.Count == 0) return null;
        return new LmIoSpec { InputIds = InputIds ?? "input_ids", Logits = Logits ?? "logits", State = state };
    }

    static string Layer(string pattern, int layer) => pattern.Replace("%d", layer.ToString(CultureInfo.InvariantCulture));
}
