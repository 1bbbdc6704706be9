using System.Text.Json.Serialization;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Probes.Membership;

/// <summary>
/// One training unit of a language-model family: a row of <c>units.parquet</c>, which the Trainer's
/// <c>--references</c> mode writes beside the target. Same columns and table name as the Trainer's
/// own row type, so either reads the other's file; kept here until that type lands on main.
/// </summary>
public sealed record LmUnitRow : IParquetRow
{
    public static string TableName => "units";

    public const string FileName = "units.parquet";

    /// <summary>"doc-000123" for documents, the canary id for canaries.</summary>
    [JsonPropertyName("unit_id")] public string UnitId { get; init; } = "";

    /// <summary>"document" or "canary".</summary>
    [JsonPropertyName("unit_kind")] public string UnitKind { get; init; } = "";

    /// <summary>The unit's text as trained on (a document is one line, without its newline).</summary>
    [JsonPropertyName("text")] public string Text { get; init; } = "";
}
