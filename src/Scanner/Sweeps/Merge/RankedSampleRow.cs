using System.Text.Json.Serialization;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Sweeps;

/// <summary>
/// One sample of a merged sweep (<c>ranked.parquet</c>): its scores, its rank under each metric
/// (among non-duplicates), which sample it duplicates, and whether it was confirmed as training
/// data. Columns are documented in docs/RESULTS.md.
/// </summary>
public sealed class RankedSampleRow : IParquetRow
{
    public static string TableName => "sweep_ranked";

    [JsonPropertyName("sample_index")] public long SampleIndex { get; set; }
    [JsonPropertyName("shard")] public int Shard { get; set; }
    [JsonPropertyName("prompt")] public string Prompt { get; set; } = "";
    [JsonPropertyName("text")] public string Text { get; set; } = "";
    [JsonPropertyName("log_perplexity")] public double LogPerplexity { get; set; }
    [JsonPropertyName("zlib_ratio")] public double ZlibRatio { get; set; }
    [JsonPropertyName("lowercase_ratio")] public double LowercaseRatio { get; set; }
    [JsonPropertyName("window_min_log_perplexity")] public double WindowMinLogPerplexity { get; set; }
    [JsonPropertyName("reference_ratio")] public double? ReferenceRatio { get; set; }
    [JsonPropertyName("rank_log_perplexity")] public int? RankLogPerplexity { get; set; }
    [JsonPropertyName("rank_zlib_ratio")] public int? RankZlibRatio { get; set; }
    [JsonPropertyName("rank_lowercase_ratio")] public int? RankLowercaseRatio { get; set; }
    [JsonPropertyName("rank_window_min_log_perplexity")] public int? RankWindowMinLogPerplexity { get; set; }
    [JsonPropertyName("rank_reference_ratio")] public int? RankReferenceRatio { get; set; }
    /// <summary>The best (lowest) of the ranks above.</summary>
    [JsonPropertyName("best_rank")] public int? BestRank { get; set; }
    [JsonPropertyName("is_duplicate_of")] public long? IsDuplicateOf { get; set; }
    [JsonPropertyName("confirmed")] public bool Confirmed { get; set; }
    /// <summary>"canary" or "corpus" when confirmed; null otherwise.</summary>
    [JsonPropertyName("confirmed_by")] public string? ConfirmedBy { get; set; }
    [JsonPropertyName("canary_id")] public string? CanaryId { get; set; }
    /// <summary>For a canary match: true when its template's prefix came right before the secret, false when the secret came alone (spaces of 10^6 and more); null otherwise.</summary>
    [JsonPropertyName("canary_in_context")] public bool? CanaryInContext { get; set; }
    [JsonPropertyName("matched_text")] public string? MatchedText { get; set; }
    /// <summary>Chars of the longest verbatim training-text match (0 when none reached --min-match).</summary>
    [JsonPropertyName("match_length")] public int MatchLength { get; set; }
}
