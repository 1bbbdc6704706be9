using System.Text.Json;
using System.Text.Json.Serialization;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Sweeps;

/// <summary>
/// <c>sweeps/&lt;id&gt;/merge.json</c>, written by every merge beside ranked/precision/findings: whether
/// those tables cover the whole sweep. A merge with <c>--allow-partial</c> says <c>"complete": false</c>
/// and lists the missing shards and batches, so a reader of the tables can tell (a job chained with
/// <c>afterany</c> would otherwise publish part of a sweep as all of it).
/// </summary>
public sealed record MergeRecord
{
    public const string FileName = "merge.json";

    [JsonPropertyName("sweep_id")] public string? SweepId { get; init; }
    [JsonPropertyName("merged_utc")] public DateTime MergedUtc { get; init; }
    /// <summary>True or false from sweep.json's grid; null when sweep.json is missing and nobody can tell.</summary>
    [JsonPropertyName("complete")] public bool? Complete { get; init; }
    [JsonPropertyName("samples_expected")] public long? SamplesExpected { get; init; }
    [JsonPropertyName("samples_merged")] public long SamplesMerged { get; init; }
    [JsonPropertyName("shards")] public int? Shards { get; init; }
    [JsonPropertyName("parts_read")] public int PartsRead { get; init; }
    [JsonPropertyName("parts_skipped")] public int PartsSkipped { get; init; }
    [JsonPropertyName("gaps")] public IReadOnlyList<ShardGap> Gaps { get; init; } = [];
    [JsonPropertyName("gaps_text")] public string? GapsText { get; init; }

    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static MergeRecord From(SweepInfo? info, SweepCompleteness? completeness, long merged, int partsRead, int partsSkipped, DateTime now) => new()
    {
        SweepId = info?.SweepId,
        MergedUtc = now,
        Complete = completeness?.Complete,
        SamplesExpected = completeness?.ExpectedSamples,
        SamplesMerged = merged,
        Shards = completeness?.Shards,
        PartsRead = partsRead,
        PartsSkipped = partsSkipped,
        Gaps = completeness?.Gaps ?? [],
        GapsText = completeness is { Complete: false } c ? c.Describe() : null,
    };

    public void Write(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");

    public static MergeRecord Read(string path) =>
        JsonSerializer.Deserialize<MergeRecord>(File.ReadAllText(path), Json) ?? throw new MemScanException($"{path} is empty");
}
