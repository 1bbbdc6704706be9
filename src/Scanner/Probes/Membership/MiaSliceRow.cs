using System.Text.Json.Serialization;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Probes.Membership;

/// <summary>
/// One attack's metrics on one slice of the samples: a row of <c>mia_slices.parquet</c>. Slices are
/// length deciles (<see cref="SliceKind"/> "length_decile", slice "0".."9") and slice labels
/// ("label"). A slice with members or non-members missing has no ROC and no row.
/// </summary>
public sealed record MiaSliceRow : IParquetRow
{
    public static string TableName => "mia_slices";

    [JsonPropertyName("attack")] public string Attack { get; init; } = "";
    /// <summary>"length_decile" or "label".</summary>
    [JsonPropertyName("slice_kind")] public string SliceKind { get; init; } = "";
    [JsonPropertyName("slice")] public string Slice { get; init; } = "";
    /// <summary>Shortest and longest sample of the slice, in target tokens.</summary>
    [JsonPropertyName("min_tokens")] public int MinTokens { get; init; }
    [JsonPropertyName("max_tokens")] public int MaxTokens { get; init; }
    [JsonPropertyName("auc")] public double Auc { get; init; }
    [JsonPropertyName("advantage")] public double Advantage { get; init; }
    [JsonPropertyName("tpr_at_1pct_fpr")] public double TprAt1PctFpr { get; init; }
    [JsonPropertyName("tpr_at_0_1pct_fpr")] public double TprAt0Point1PctFpr { get; init; }
    [JsonPropertyName("members")] public int Members { get; init; }
    [JsonPropertyName("non_members")] public int NonMembers { get; init; }
}
