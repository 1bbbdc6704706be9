using System.Text.Json.Serialization;

namespace MemScan.Scanner.Results;

/// <summary>
/// One training unit's text: a document (for language models, one line of the corpus text) or a
/// canary (its full text, secret included — the table is sensitive). One row of
/// <c>units.parquet</c>, so a scanner can score members and non-members without the corpus.
/// </summary>
public sealed record TrainingUnitRow : IParquetRow
{
    public static string TableName => "units";

    public const string FileName = "units.parquet";

    [JsonPropertyName("unit_id")] public string UnitId { get; init; } = "";

    /// <summary>"document" or "canary" (<see cref="MembershipRow.Document"/>, <see cref="MembershipRow.Canary"/>).</summary>
    [JsonPropertyName("unit_kind")] public string UnitKind { get; init; } = "";

    /// <summary>The unit's text as trained on (without a trailing newline for documents).</summary>
    [JsonPropertyName("text")] public string Text { get; init; } = "";
}
