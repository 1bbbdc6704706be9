using System.Text.Json.Serialization;

namespace MemScan.Scanner.Results;

/// <summary>
/// Whether one training unit (a document or a canary) was in one model's training data. One row of
/// <c>membership.parquet</c>, which the Trainer writes beside a target and its reference models:
/// every model × every unit, so membership-inference probes (loss, reference ratio, LiRA
/// online/offline) know the ground truth. The target's rows are its train/held-out split.
/// </summary>
public sealed record MembershipRow : IParquetRow
{
    public static string TableName => "membership";

    public const string FileName = "membership.parquet";

    /// <summary><see cref="Model"/> of the model the canaries were made for.</summary>
    public const string Target = "target";

    /// <summary><see cref="Model"/> of the reference trained on the target's documents without canaries.</summary>
    public const string CleanReference = "ref-clean";

    /// <summary><see cref="UnitKind"/> values.</summary>
    public const string Document = "document", Canary = "canary";

    /// <summary>The model's name, also its folder relative to the target's: "target", "ref-00", "ref-01", …, "ref-clean".</summary>
    [JsonPropertyName("model")] public string Model { get; init; } = "";

    /// <summary>Key into <c>units.parquet</c>: "doc-000123" for documents, the canary id for canaries.</summary>
    [JsonPropertyName("unit_id")] public string UnitId { get; init; } = "";

    /// <summary>"document" or "canary".</summary>
    [JsonPropertyName("unit_kind")] public string UnitKind { get; init; } = "";

    /// <summary>True when the unit was in this model's training data (a canary: all its insertions).</summary>
    [JsonPropertyName("is_member")] public bool IsMember { get; init; }

    /// <summary>Reference name of the i-th random-half model: ref-00, ref-01, ….</summary>
    public static string ReferenceName(int index) => $"ref-{index:D2}";
}
