using System.Text.Json.Serialization;

namespace MemScan.Scanner.Results;

/// <summary>
/// One image of a classifier's <c>examples.parquet</c>, written by the trainer beside the model: the
/// training members, held-out non-members and the audit canaries, with the exact pixels and label
/// the model was (or was not) trained on, so the scanner needs no dataset to score membership.
/// </summary>
public sealed record ExampleRow : IParquetRow
{
    public static string TableName => "examples";

    public const string Member = "member", NonMember = "non-member", Canary = "canary";
    public const string Mislabeled = "mislabeled", Noise = "noise";

    [JsonPropertyName("example_id")] public int ExampleId { get; init; }
    /// <summary>member, non-member or canary.</summary>
    [JsonPropertyName("role")] public string Role { get; init; } = Member;
    /// <summary>Canaries only: mislabeled (a real image with a wrong label) or noise (random pixels, random label).</summary>
    [JsonPropertyName("canary_kind")] public string? CanaryKind { get; init; }
    /// <summary>Whether the target model trained on it (canaries: drawn with probability 1/2).</summary>
    [JsonPropertyName("included")] public bool Included { get; init; }
    /// <summary>The label used in training (for a mislabeled canary, the wrong one).</summary>
    [JsonPropertyName("label")] public int Label { get; init; }
    /// <summary>The dataset's label, where one exists (null for noise canaries).</summary>
    [JsonPropertyName("true_label")] public int? TrueLabel { get; init; }
    /// <summary>Index in the source dataset split, where one exists.</summary>
    [JsonPropertyName("source_index")] public int? SourceIndex { get; init; }
    /// <summary>C×H×W pixels as bytes 0..255 (value / 255 is the [0,1] pixel).</summary>
    [JsonPropertyName("pixels")] public byte[] Pixels { get; init; } = [];
}

/// <summary>Which examples each model of a family (target, ref-00, ...) trained on (<c>example_membership.parquet</c>).</summary>
public sealed record ExampleMembershipRow : IParquetRow
{
    public static string TableName => "example_membership";

    [JsonPropertyName("model")] public string Model { get; init; } = "";
    [JsonPropertyName("example_id")] public int ExampleId { get; init; }
    [JsonPropertyName("is_member")] public bool IsMember { get; init; }
}
