using System.Text.Json.Serialization;
using Parquet.Serialization.Attributes;

namespace MemScan.Scanner.Results;

/// <summary>The on-disk columns of <c>findings.parquet</c>; <see cref="FindingsTable"/> maps to <see cref="Finding"/>.</summary>
public sealed class FindingRow : IParquetRow
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

    public static FindingRow From(Finding f)
    {
        if (string.IsNullOrWhiteSpace(f.Probe))
            throw new ArgumentException($"a finding needs a probe name (subject '{f.Subject}')", nameof(f));
        if (string.IsNullOrWhiteSpace(f.ScoreName))
            throw new ArgumentException($"finding {f.Probe}/{f.Subject} needs a score name", nameof(f));
        return new FindingRow
        {
            Probe = f.Probe,
            Subject = f.Subject ?? "",
            Severity = f.Severity.ToName(),
            SeverityRank = f.Severity.ToRank(),
            Score = f.Score,
            ScoreName = f.ScoreName,
            MaxScore = f.MaxScore,
            Evidence = f.Evidence ?? "",
            Secret = f.Secret,
            Rank = f.Rank,
            Queries = f.Queries,
            CreatedUtc = f.CreatedUtc,
        };
    }

    public Finding ToFinding(string path, long index)
    {
        if (!SeverityNames.TryParse(Severity, out Severity severity))
            throw new MemScanException(
                $"{path}: row {index} has severity '{Severity}' (expected info, low, medium, high or critical)");
        if (severity.ToRank() != SeverityRank)
            throw new MemScanException(
                $"{path}: row {index} has severity '{Severity}' but severity_rank {SeverityRank} (expected {severity.ToRank()})");
        return new Finding
        {
            Probe = Probe ?? "",
            Subject = Subject ?? "",
            Severity = severity,
            Score = Score,
            ScoreName = ScoreName ?? "",
            MaxScore = MaxScore,
            Evidence = Evidence ?? "",
            Secret = Secret,
            Rank = Rank,
            Queries = Queries,
            CreatedUtc = CreatedUtc,
        };
    }
}
