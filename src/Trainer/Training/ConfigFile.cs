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

    /// <summary>The largest config read (a config is a few dozen settings).</summary>
    public const long MaxBytes = 1 << 20;

    public static T Load<T>(string path, string what)
    {
        string text = InputFile.ReadAllText(path, "config", MaxBytes);
        try
        {
            return JsonSerializer.Deserialize<T>(text, Json)
                ?? throw new MemScanException($"config {path} is empty");
        }
        catch (JsonException e)
        {
            throw new MemScanException($"config {path} is not a valid {what}: {e.Message}");
        }
    }

    public static string ToJson<T>(T config) => JsonSerializer.Serialize(config, Json);

    /// <summary>
    /// SHA-256 (hex) of a config in its JSON form plus the data it trains on: what a checkpoint must
    /// match before a run resumes from it. Callers blank the fields that may change between a run
    /// and its resume (threads, checkpoint cadence, the length of the run).
    /// </summary>
    public static string Fingerprint<T>(T config, string data) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(JsonSerializer.Serialize(config, Json) + "\n" + data)));

    /// <summary>SHA-256 (hex) of raw data, e.g. token ids, to stand in for it in a <see cref="Fingerprint{T}"/>.</summary>
    public static string Sha256Of(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data));
}
