using System.Text.Json.Serialization;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Metrics;

/// <summary>
/// One operating point of one attack's ROC curve: a row of <c>roc.parquet</c>. Predicting "member"
/// for scores ≥ <see cref="Threshold"/> gives (<see cref="Fpr"/>, <see cref="Tpr"/>); the first row
/// of each attack has threshold +∞ at (0, 0). See <see cref="RocCurve"/>.
/// </summary>
public sealed record RocRow : IParquetRow
{
    public static string TableName => "roc";

    /// <summary>The attack (score) that produced the curve, e.g. "loss", "zlib", "lira_online".</summary>
    [JsonPropertyName("attack")] public string Attack { get; init; } = "";

    /// <summary>False positive rate: non-members flagged / non-members.</summary>
    [JsonPropertyName("fpr")] public double Fpr { get; init; }

    /// <summary>True positive rate: members flagged / members.</summary>
    [JsonPropertyName("tpr")] public double Tpr { get; init; }

    /// <summary>Scores at or above this are flagged as members (+∞ on the first row).</summary>
    [JsonPropertyName("threshold")] public double Threshold { get; init; }
}
