using System.Text.Json.Serialization;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Probes.Membership;

/// <summary>
/// Whether one unit was in one model's training data: a row of <c>membership.parquet</c> (every
/// model of the family × every unit). Same columns and table name as the Trainer's own row type;
/// kept here until that type lands on main.
/// </summary>
public sealed record LmMembershipRow : IParquetRow
{
    public static string TableName => "membership";

    public const string FileName = "membership.parquet";

    /// <summary>The target's name in <see cref="Model"/>.</summary>
    public const string Target = "target";

    /// <summary>The reference trained on the target's own documents without canaries.</summary>
    public const string CleanReference = "ref-clean";

    /// <summary>"target", "ref-00", "ref-01", …, "ref-clean": also the model's folder beside the target.</summary>
    [JsonPropertyName("model")] public string Model { get; init; } = "";

    /// <summary>Key into <c>units.parquet</c>.</summary>
    [JsonPropertyName("unit_id")] public string UnitId { get; init; } = "";

    /// <summary>"document" or "canary".</summary>
    [JsonPropertyName("unit_kind")] public string UnitKind { get; init; } = "";

    [JsonPropertyName("is_member")] public bool IsMember { get; init; }
}
