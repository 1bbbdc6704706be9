using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Sweeps;

/// <summary>
/// <c>sweeps/&lt;id&gt;/sweep.json</c>: what a sweep generates, from which model. Every shard of a
/// sweep, and every restart of a shard, must agree with it: rows made with other settings would mix
/// silently into one table, so <see cref="CreateOrCheck"/> refuses them and names the differences.
/// Paths are recorded but not compared (pods mount the same model at different places); hashes are.
/// </summary>
public sealed record SweepInfo
{
    public const string FileName = "sweep.json";
    public const int CurrentFormat = 1;

    [JsonPropertyName("format_version")] public int FormatVersion { get; init; } = CurrentFormat;
    [JsonPropertyName("sweep_id")] public string SweepId { get; init; } = "";
    [JsonPropertyName("tool_version")] public string ToolVersion { get; init; } = "";
    [JsonPropertyName("model_path")] public string ModelPath { get; init; } = "";
    [JsonPropertyName("model_sha256")] public string ModelSha256 { get; init; } = "";
    [JsonPropertyName("manifest_path")] public string? ManifestPath { get; init; }
    [JsonPropertyName("tokenizer")] public string Tokenizer { get; init; } = "";
    [JsonPropertyName("reference_path")] public string? ReferencePath { get; init; }
    [JsonPropertyName("reference_sha256")] public string? ReferenceSha256 { get; init; }
    [JsonPropertyName("prompts")] public string Prompts { get; init; } = "";
    [JsonPropertyName("prompts_sha256")] public string? PromptsSha256 { get; init; }
    [JsonPropertyName("shards")] public int Shards { get; init; } = 1;
    [JsonPropertyName("settings")] public SortedDictionary<string, string> Settings { get; init; } = new(StringComparer.Ordinal);

    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>What must be equal between two runs writing into the same sweep, as name → value.</summary>
    public SortedDictionary<string, string> Identity()
    {
        var id = new SortedDictionary<string, string>(Settings, StringComparer.Ordinal)
        {
            ["model_sha256"] = ModelSha256,
            ["tokenizer"] = Tokenizer,
            ["reference_sha256"] = ReferenceSha256 ?? "",
            ["prompts_sha256"] = PromptsSha256 ?? "",
            ["shards"] = Shards.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return id;
    }

    /// <summary>
    /// <c>&lt;model-stem&gt;-&lt;8 hex&gt;</c>, the hex from the identity: the same command on every pod
    /// of an indexed job (or a restart) lands in the same folder without coordination.
    /// </summary>
    public string DefaultSweepId(string modelPath)
    {
        string stem = new(Path.GetFileNameWithoutExtension(modelPath)
            .Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray());
        stem = stem.Trim('-');
        if (stem.Length == 0) stem = "model";
        if (stem.Length > 40) stem = stem[..40];
        string identity = string.Join("\n", Identity().Select(kv => kv.Key + "=" + kv.Value));
        return stem + "-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..8];
    }

    public static SweepInfo Read(string path)
    {
        SweepInfo? info;
        try
        {
            info = JsonSerializer.Deserialize<SweepInfo>(InputFile.ReadAllText(path, "sweep description", RunInfo.MaxJsonBytes), Json);
        }
        catch (JsonException e)
        {
            throw new MemScanException($"{path} is not valid JSON: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MemScanException($"cannot read {path}: {e.Message}", e);
        }
        if (info is null) throw new MemScanException($"{path} is empty");
        if (info.FormatVersion > CurrentFormat)
            throw new MemScanException($"{path} has format_version {info.FormatVersion}; this MemScan reads up to {CurrentFormat}: upgrade MemScan");
        return info;
    }

    public void Write(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");

    /// <summary>
    /// Writes sweep.json into <paramref name="sweepDir"/> when it is missing, otherwise checks that
    /// this run agrees with it. Shards starting together may both write: the contents are then equal
    /// up to paths, and the re-read after writing catches a racer with other settings.
    /// </summary>
    public SweepInfo CreateOrCheck(string sweepDir)
    {
        string path = Path.Combine(sweepDir, FileName);
        if (!File.Exists(path))
        {
            AtomicFile.CreatePrivateDirectory(sweepDir);
            Write(path);
        }
        SweepInfo existing = Read(path);
        CheckCompatible(existing, path);
        return existing;
    }

    /// <summary>Throws a <see cref="MemScanException"/> listing every field where this run differs from <paramref name="existing"/>.</summary>
    public void CheckCompatible(SweepInfo existing, string path)
    {
        var mine = Identity();
        var theirs = existing.Identity();
        var differences = mine.Keys.Union(theirs.Keys)
            .Where(k => mine.GetValueOrDefault(k, "") != theirs.GetValueOrDefault(k, ""))
            .Select(k => $"{k} {Show(theirs.GetValueOrDefault(k, ""))} there, {Show(mine.GetValueOrDefault(k, ""))} here")
            .ToList();
        if (differences.Count > 0)
            throw new MemScanException(
                $"{path} was written with other settings ({differences.Count} differ: {string.Join("; ", differences)}); " +
                "rows of different settings must not mix: rerun with the recorded settings or use another --sweep-id");
    }

    static string Show(string value) => value.Length == 0 ? "(none)" : "'" + value.Replace("\n", "\\n") + "'";
}
