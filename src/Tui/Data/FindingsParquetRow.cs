using System.Text.Json.Serialization;
using MemScan.Scanner.Results;
using Parquet.Serialization.Attributes;

namespace MemScan.Tui.Data;

/// <summary>
/// The columns of <c>findings.parquet</c> as docs/RESULTS.md fixes them. The Scanner's own row type
/// is internal; the TUI needs a row type of its own to deserialize one row group at a time and to
/// write multi-row-group demo files. <see cref="FindingsFile"/> maps it to <see cref="Finding"/>.
/// </summary>
internal sealed class FindingsParquetRow : IParquetRow
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

    public static FindingsParquetRow From(Finding f) => new()
    {
        Probe = f.Probe, Subject = f.Subject, Severity = f.Severity.ToName(), SeverityRank = f.Severity.ToRank(),
        Score = f.Score, ScoreName = f.ScoreName, MaxScore = f.MaxScore, Evidence = f.Evidence, Secret = f.Secret,
        Rank = f.Rank, Queries = f.Queries, CreatedUtc = f.CreatedUtc,
    };

    public Finding ToFinding(string path, long row)
    {
        if (!SeverityNames.TryParse(Severity, out Severity severity))
            throw new Scanner.MemScanException(
                $"{path}: row {row} has severity '{Severity}' (expected info, low, medium, high or critical)");
        return new Finding
        {
            Probe = Probe ?? "", Subject = Subject ?? "", Severity = severity, Score = Score, ScoreName = ScoreName ?? "",
            MaxScore = MaxScore, Evidence = Evidence ?? "", Secret = Secret, Rank = Rank, Queries = Queries,
            CreatedUtc = CreatedUtc,
        };
    }
}
