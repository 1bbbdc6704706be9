using System.Text.Json.Serialization;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Probes.Membership;

/// <summary>One attack's score of one sample: a row of <c>mia_scores.parquet</c> (higher = likelier member).</summary>
public sealed record MiaScoreRow : IParquetRow
{
    public static string TableName => "mia_scores";

    /// <summary>The unit id, or m-NNNNNN / n-NNNNNN for line N of the members / non-members file.</summary>
    [JsonPropertyName("sample_id")] public string SampleId { get; init; } = "";
    /// <summary>Ground truth: the target trained on this sample.</summary>
    [JsonPropertyName("is_member")] public bool IsMember { get; init; }
    [JsonPropertyName("attack")] public string Attack { get; init; } = "";
    /// <summary>The attack's score; may be ±∞ (e.g. Min-K%++ of a token the model never emits).</summary>
    [JsonPropertyName("score")] public double Score { get; init; }
    /// <summary>The sample's length in target tokens (after the --mia-max-tokens cut).</summary>
    [JsonPropertyName("length_tokens")] public int LengthTokens { get; init; }
    /// <summary>The sample's slice label: the unit kind (document, canary), a --sample-labels label, or "".</summary>
    [JsonPropertyName("slice")] public string Slice { get; init; } = "";
    /// <summary>The sample's length decile among all scored samples, 0 (shortest) to 9.</summary>
    [JsonPropertyName("length_decile")] public int LengthDecile { get; init; }
}
