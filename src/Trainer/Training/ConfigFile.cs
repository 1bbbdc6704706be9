using System.Text.Json;
using System.Text.Json.Serialization;
using MemScan.Scanner;

namespace MemScan.Trainer.Training;

/// <summary>
/// The JSON form shared by every training config (<c>corpora/configs/*.json</c>): snake_case keys,
/// comments and trailing commas allowed, unknown keys refused (a typo must not silently fall back
/// to a default).
/// </summary>
public static class ConfigFile
{
    public static JsonSerializerOptions Json { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static T Load<T>(string path, string what)
    {
        if (!File.Exists(path)) throw new MemScanException($"config {path} does not exist");
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json)
                ?? throw new MemScanException($"config {path} is empty");
        }
        catch (JsonException e)
        {
            throw new MemScanException($"config {path} is not a valid {what}: {e.Message}");
        }
    }

    public static string ToJson<T>(T config) => JsonSerializer.Serialize(config, Json);
}
