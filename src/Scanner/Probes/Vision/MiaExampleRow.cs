using System.Text.Json.Serialization;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Probes.Vision;

/// <summary>
/// One pool example of a classifier scan (<c>mia_examples.parquet</c>): its ground truth and every
/// membership score the vision MIA probe computed, each oriented higher = likelier member. LiRA and
/// RMIA columns are null when the scan had too few reference models for them.
/// </summary>
public sealed record MiaExampleRow : IParquetRow
{
    public static string TableName => "mia_examples";

    [JsonPropertyName("example_id")] public int ExampleId { get; init; }
    [JsonPropertyName("is_member")] public bool IsMember { get; init; }
    [JsonPropertyName("label")] public int Label { get; init; }
    [JsonPropertyName("predicted")] public int Predicted { get; init; }
    /// <summary>Cross-entropy of the label, nats (the attack score is its negative).</summary>
    [JsonPropertyName("loss")] public double Loss { get; init; }
    [JsonPropertyName("confidence")] public double Confidence { get; init; }
    [JsonPropertyName("entropy")] public double Entropy { get; init; }
    [JsonPropertyName("modified_entropy")] public double ModifiedEntropy { get; init; }
    /// <summary>LiRA's logit-scaled confidence φ under the target.</summary>
    [JsonPropertyName("phi")] public double Phi { get; init; }
    [JsonPropertyName("lira_online")] public double? LiraOnline { get; init; }
    [JsonPropertyName("lira_online_fixed")] public double? LiraOnlineFixed { get; init; }
    [JsonPropertyName("lira_offline")] public double? LiraOffline { get; init; }
    [JsonPropertyName("lira_offline_fixed")] public double? LiraOfflineFixed { get; init; }
    [JsonPropertyName("rmia")] public double? Rmia { get; init; }
    /// <summary>Reference models that trained on the example (IN) and did not (OUT).</summary>
    [JsonPropertyName("in_references")] public int InReferences { get; init; }
    [JsonPropertyName("out_references")] public int OutReferences { get; init; }
}
