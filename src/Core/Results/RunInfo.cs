using System.Text.Json;
using System.Text.Json.Serialization;

namespace MemScan.Scanner.Results;

/// <summary>
/// <c>run.json</c>: what was scanned, with which settings, by which MemScan, how long each probe
/// took, and whether the run finished. Fields are documented in docs/RESULTS.md.
/// </summary>
public sealed record RunInfo
{
    public const int CurrentFormatVersion = 1;

    /// <summary>The largest run.json read (one holds settings, notes and timings: a few KiB).</summary>
    public const long MaxJsonBytes = 16L << 20;

    [JsonPropertyName("format_version")] public int FormatVersion { get; init; } = CurrentFormatVersion;

    [JsonPropertyName("run_id")] public required string RunId { get; init; }

    /// <summary>MemScan's version (assembly informational version).</summary>
    [JsonPropertyName("tool_version")] public required string ToolVersion { get; init; }

    [JsonPropertyName("status")] public RunStatus Status { get; init; } = RunStatus.Running;

    [JsonPropertyName("started_utc")]
    public required DateTime StartedUtc { get; init => field = Utc.Normalize(value); }

    [JsonPropertyName("finished_utc")]
    public DateTime? FinishedUtc { get; init => field = value is { } v ? Utc.Normalize(v) : null; }

    /// <summary>The model file as given on the command line.</summary>
    [JsonPropertyName("model_path")] public required string ModelPath { get; init; }

    /// <summary>Lowercase hex SHA-256 of the model file (<see cref="ComputeSha256"/>).</summary>
    [JsonPropertyName("model_sha256")] public required string ModelSha256 { get; init; }

    /// <summary>"language_model" or "classifier".</summary>
    [JsonPropertyName("model_kind")] public required string ModelKind { get; init; }

    /// <summary>The <c>*.memscan.json</c> manifest used, if any.</summary>
    [JsonPropertyName("manifest_path")] public string? ManifestPath { get; init; }

    /// <summary>
    /// The scan's input files other than the model — manifest, profile, sample and examples files —
    /// by role ("manifest", "members", ...) -> lowercase hex SHA-256, so that <c>--resume</c>
    /// refuses a run whose inputs were edited since (see <see cref="InputFingerprints"/>).
    /// </summary>
    [JsonPropertyName("inputs")]
    public IReadOnlyDictionary<string, string> Inputs { get; init; } = new Dictionary<string, string>();

    /// <summary>Probe name -> its settings (option name -> value as text), in the order run.</summary>
    [JsonPropertyName("probes")]
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Probes { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();

    /// <summary>
    /// Probes whose tables and findings are written, in the order they finished. Recorded after each
    /// probe's files so that a resumed run (<c>--resume</c>) skips exactly these and nothing else:
    /// a probe killed halfway is absent here even when some of its files exist.
    /// </summary>
    [JsonPropertyName("completed_probes")] public IReadOnlyList<string> CompletedProbes { get; init; } = [];

    /// <summary>
    /// Probe name -> the notes its report printed (attacks skipped for want of references, a tuned
    /// parameter, ...), recorded with the completed probe so that a resumed run reports them too.
    /// </summary>
    [JsonPropertyName("probe_notes")]
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ProbeNotes { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Probe name -> wall-clock seconds it took.</summary>
    [JsonPropertyName("timings_seconds")]
    public IReadOnlyDictionary<string, double> TimingsSeconds { get; init; } = new Dictionary<string, double>();

    /// <summary>Where inference ran, e.g. "cpu" or "cuda:0".</summary>
    [JsonPropertyName("device")] public string Device { get; init; } = "cpu";

    /// <summary>The command line that started the run (reproduce it with this).</summary>
    [JsonPropertyName("command_line")] public string CommandLine { get; init; } = "";

    /// <summary>Why the run failed, when <see cref="Status"/> is failed.</summary>
    [JsonPropertyName("error")] public string? Error { get; init; }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
        RespectNullableAnnotations = true,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions) + "\n";

    /// <summary>Parses run.json text; <paramref name="source"/> names it in error messages.</summary>
    public static RunInfo Parse(string json, string source)
    {
        RunInfo? info;
        try
        {
            info = JsonSerializer.Deserialize<RunInfo>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new MemScanException($"{source} is corrupt: {e.Message}", e);
        }
        if (info is null)
            throw new MemScanException($"{source} is corrupt: it holds null, not a run description");
        if (info.FormatVersion > CurrentFormatVersion)
            throw new MemScanException(
                $"{source} has format_version {info.FormatVersion}; this MemScan reads up to {CurrentFormatVersion} (upgrade MemScan)");
        return info;
    }

    /// <summary>Reads a run.json file.</summary>
    public static RunInfo Read(string path)
    {
        string json;
        try
        {
            if (InputFile.KindOf(path).Kind == FileKind.Missing)
                throw new MemScanException($"{path} does not exist: not a MemScan run folder");
            json = InputFile.ReadAllText(path, "run description", MaxJsonBytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MemScanException($"cannot read {path}: {e.Message}", e);
        }
        return Parse(json, path);
    }

    /// <summary>Writes atomically and owner-only.</summary>
    public void Write(string path) => AtomicFile.WriteAllText(path, ToJson());

    /// <summary>Lowercase hex SHA-256 of a file, for <see cref="ModelSha256"/>.</summary>
    public static string ComputeSha256(string path)
    {
        try
        {
            // streamed, so no byte limit; the file must still be regular (a FIFO or /dev/zero never ends)
            using Stream stream = InputFile.OpenRead(path, "input file", long.MaxValue);
            return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MemScanException($"cannot read {path}: {e.Message}", e);
        }
    }
}
