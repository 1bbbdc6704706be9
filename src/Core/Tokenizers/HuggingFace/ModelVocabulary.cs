using System.Text.Json;

namespace MemScan.Scanner.Tokenizers.HuggingFace;

/// <summary>Reads a tokenizer.json <c>model.vocab</c> map (token to id), checking ids are unique integers.</summary>
internal static class ModelVocabulary
{
    /// <summary>Ids past this are refused: the model's logits would need as many entries (Gemma-3 has 262,144).</summary>
    public const int MaxId = 4_000_000;

    public static Dictionary<string, int> ReadMap(JsonElement vocab, string where)
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        var seen = new HashSet<int>();
        foreach (var entry in vocab.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt32(out int id) || id < 0 || id > MaxId)
                throw new FormatException($"{where}: token '{BpeModel.Shorten(entry.Name)}' has id {entry.Value.GetRawText()}; ids must be integers from 0 to {MaxId}");
            if (!map.TryAdd(entry.Name, id))
                throw new FormatException($"{where}: token '{BpeModel.Shorten(entry.Name)}' appears twice");
            if (!seen.Add(id))
                throw new FormatException($"{where}: two tokens share id {id}");
        }
        if (map.Count == 0) throw new FormatException($"{where} is empty");
        return map;
    }
}
