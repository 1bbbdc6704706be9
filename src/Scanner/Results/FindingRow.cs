using System.Text.Json.Serialization;
using Parquet.Serialization.Attributes;

namespace MemScan.Scanner.Results;

/// <summary>The on-disk columns of <c>findings.parquet</c>; <see cref="FindingsTable"/> maps to <see cref="Finding"/>.</summary>
internal sealed class FindingRow : IParquetRow
{
    public static string TableName => "findings";

    [JsonPropertyName("probe")] public string Probe { get; set; } = "";
    [JsonPropertyName("subject")] public string Subject { get; set; } = "";
    [JsonPropertyName("severity")] public string Severity { get; set; } = "";
    [JsonPropertyName("severity_rank")] public int SeverityRank { get; set; }
    [JsonPropertyName("score")] public double Score { get; set; }
    [JsonPropertyName("score_name")] public string ScoreName { get; set; } = "";
    [JsonPropertyName("max_score")] public double? MaxScore { get; set; }
    [JsonPropertyName("evidence")] public string Evidence { get; set; } = "";
    [JsonPropertyName("secret")] public string? Secret { get; set; }
    [JsonPropertyName("rank")] public long? Rank { get; set; }
    [JsonPropertyName("queries")] public long? Queries { get; set; }

    [JsonPropertyName("created_utc")]
    [ParquetTimestamp(ParquetTimestampResolution.Microseconds, useLogicalTimestamp: true, isAdjustedToUTC: true)]
    public DateTime CreatedUtc { get; set; }
}
