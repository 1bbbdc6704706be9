using System.Text.Json;

namespace MemScan.Scanner.Folders;

/// <summary>
/// Reads the small JSON files published beside a model (config.json, generation_config.json,
/// genai_config.json). They are untrusted: size and depth are bounded, and a value of the wrong
/// kind is treated as absent rather than trusted.
/// </summary>
static class FolderJson
{
    const long MaxBytes = 4 << 20;

    /// <summary>The parsed file, or null when it does not exist.</summary>
    public static JsonDocument? Load(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) return null;
        if (info.Length > MaxBytes) throw new MemScanException($"{path} is {info.Length} bytes; MemScan reads model JSON files up to {MaxBytes} bytes");
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { MaxDepth = 32, AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new MemScanException($"{path} is not valid JSON: {e.Message}");
        }
    }

    /// <summary>The first of <paramref name="names"/> that holds a positive integer, with its name.</summary>
    public static (int Value, string Name)? FirstInt(JsonElement obj, params string[] names)
    {
        if (obj.ValueKind != JsonValueKind.Object) return null;
        foreach (var name in names)
            if (obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i) && i > 0)
                return (i, name);
        return null;
    }

    /// <summary>Token ids given as one integer or a list of integers (eos_token_id often is a list).</summary>
    public static int[] Ids(JsonElement obj, string name)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var v)) return [];
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int one) && one >= 0) return [one];
        if (v.ValueKind == JsonValueKind.Array)
            return v.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int x) && x >= 0).Select(e => e.GetInt32()).ToArray();
        return [];
    }

    public static string? String(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static JsonElement Child(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) ? v : default;
}
