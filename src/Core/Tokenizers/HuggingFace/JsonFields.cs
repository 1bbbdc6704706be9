using System.Text.Json;

namespace MemScan.Scanner.Tokenizers.HuggingFace;

/// <summary>
/// Typed reads of tokenizer.json fields. The file is untrusted: a missing or mistyped field is a
/// <see cref="FormatException"/> naming its JSON path, which the loader turns into one clear line.
/// </summary>
internal static class JsonFields
{
    public static string Type(JsonElement e, string where) => String(e, "type", where);

    public static string String(JsonElement e, string name, string where) =>
        Optional(e, name) is { ValueKind: JsonValueKind.String } v ? v.GetString()!
            : throw new FormatException($"{where}.{name} must be a string");

    public static string? OptionalString(JsonElement e, string name, string where) => Optional(e, name) switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        _ => throw new FormatException($"{where}.{name} must be a string or null"),
    };

    public static bool Bool(JsonElement e, string name, string where, bool fallback) => Optional(e, name) switch
    {
        null or { ValueKind: JsonValueKind.Null } => fallback,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => throw new FormatException($"{where}.{name} must be true or false"),
    };

    public static int Int(JsonElement e, string name, string where, int min = 0) =>
        Optional(e, name) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt32(out int i) && i >= min ? i
            : throw new FormatException($"{where}.{name} must be an integer >= {min}");

    public static JsonElement Array(JsonElement e, string name, string where) =>
        Optional(e, name) is { ValueKind: JsonValueKind.Array } v ? v
            : throw new FormatException($"{where}.{name} must be an array");

    public static JsonElement Object(JsonElement e, string name, string where) =>
        Optional(e, name) is { ValueKind: JsonValueKind.Object } v ? v
            : throw new FormatException($"{where}.{name} must be an object");

    /// <summary>The field, or null when <paramref name="e"/> is not an object or lacks it.</summary>
    public static JsonElement? Optional(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v : null;

    /// <summary>A null or absent component (normalizer, pre_tokenizer, ...) is no component.</summary>
    public static bool IsAbsent(JsonElement? e) => e is null || e.Value.ValueKind == JsonValueKind.Null;
}
