namespace MemScan.Scanner.Folders;

/// <summary>
/// What MemScan reads from a Hugging Face <c>config.json</c>: the context (<c>max_position_embeddings</c>,
/// <c>n_positions</c>, <c>max_seq_len</c>, ...), the vocabulary size, the special token ids and the
/// attention heads (fewer key/value heads than heads: grouped-query attention).
/// </summary>
public sealed record HfModelConfig
{
    public const string FileName = "config.json";

    /// <summary>Names models use for the most positions they take, in the order MemScan trusts them.</summary>
    static readonly string[] ContextNames = ["max_position_embeddings", "n_positions", "max_seq_len", "max_sequence_length", "seq_length", "n_ctx"];

    public string? ModelType { get; init; }
    public (int Tokens, string Field)? Context { get; init; }
    public int? VocabSize { get; init; }
    public int[] BosIds { get; init; } = [];
    public int[] EosIds { get; init; } = [];
    public int[] PadIds { get; init; } = [];
    public int? Heads { get; init; }
    public int? KvHeads { get; init; }
    public int? Layers { get; init; }

    /// <summary>The config in <paramref name="dir"/>, or null when there is none.</summary>
    public static HfModelConfig? Load(string dir)
    {
        using var doc = FolderJson.Load(Path.Combine(dir, FileName));
        if (doc is null) return null;
        var root = doc.RootElement;
        // Some configs (multimodal, T5-style) keep the decoder's numbers under text_config.
        var text = FolderJson.Child(root, "text_config");
        (int, string)? Int(params string[] names) => FolderJson.FirstInt(root, names) ?? FolderJson.FirstInt(text, names);
        return new HfModelConfig
        {
            ModelType = FolderJson.String(root, "model_type"),
            Context = Int(ContextNames),
            VocabSize = Int("vocab_size")?.Item1,
            BosIds = FolderJson.Ids(root, "bos_token_id"),
            EosIds = FolderJson.Ids(root, "eos_token_id"),
            PadIds = FolderJson.Ids(root, "pad_token_id"),
            Heads = Int("num_attention_heads", "n_head", "num_heads")?.Item1,
            KvHeads = Int("num_key_value_heads", "num_kv_heads", "n_head_kv")?.Item1,
            Layers = Int("num_hidden_layers", "n_layer", "num_layers")?.Item1,
        };
    }
}
