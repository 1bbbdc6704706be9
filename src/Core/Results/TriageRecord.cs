using System.Text.Json.Serialization;
using Parquet.Serialization.Attributes;

namespace MemScan.Scanner.Results;

/// <summary>
/// One triage decision: which finding, what the analyst decided, why, who, when. One row of
/// <c>triage.parquet</c>; the file keeps every decision, and the latest per finding wins
/// (<see cref="TriageTable.Latest"/>), so a changed mind leaves an audit trail.
/// </summary>
public sealed record TriageRecord : IParquetRow
{
    public static string TableName => "triage";

    /// <summary><c>probe/subject/score_name</c>: stable across rescans of the same model (<see cref="KeyOf"/>).</summary>
    [JsonPropertyName("finding_key")] public string FindingKey { get; init; } = "";

    /// <summary>"confirmed", "false_positive", "accepted_risk" or "untriaged" (a cleared mark) (<see cref="TriageStatusNames"/>).</summary>
    [JsonPropertyName("status")] public string Status { get; init; } = "";

    [JsonPropertyName("note")] public string Note { get; init; } = "";

    /// <summary>Who decided (the OS user name of the analyst).</summary>
    [JsonPropertyName("analyst")] public string Analyst { get; init; } = "";

    [JsonPropertyName("updated_utc")]
    [ParquetTimestamp(ParquetTimestampResolution.Microseconds, useLogicalTimestamp: true, isAdjustedToUTC: true)]
    public DateTime UpdatedUtc { get; init => field = Utc.Normalize(value); }

    /// <summary>
    /// The key of a finding. Not the row number: findings.parquet is rewritten (and re-sorted) by a
    /// rescan, and a decision must stay with its finding.
    /// </summary>
    public static string KeyOf(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return KeyOf(finding.Probe, finding.Subject, finding.ScoreName);
    }

    public static string KeyOf(string probe, string subject, string scoreName) => $"{probe}/{subject}/{scoreName}";

    /// <summary>A new decision by the current OS user, now.</summary>
    public static TriageRecord Create(string findingKey, TriageStatus status, string? note) => new()
    {
        FindingKey = findingKey,
        Status = status.ToName(),
        Note = note ?? "",
        Analyst = Environment.UserName,
        UpdatedUtc = DateTime.UtcNow,
    };
}
