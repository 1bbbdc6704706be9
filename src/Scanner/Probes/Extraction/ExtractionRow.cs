using System.Text.Json.Serialization;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Probes.Extraction;

/// <summary>
/// One completion that shortest-path extraction pulled out for a canary template, in order of
/// model likelihood (<c>extraction.parquet</c>).
/// </summary>
public sealed record ExtractionRow : IParquetRow
{
    public static string TableName => "extraction";

    [JsonPropertyName("canary_id")] public string CanaryId { get; init; } = "";
    [JsonPropertyName("template")] public string Template { get; init; } = "";
    /// <summary>1 = the model's most likely completion of the template.</summary>
    [JsonPropertyName("order")] public int Order { get; init; }
    [JsonPropertyName("candidate")] public string Candidate { get; init; } = "";
    /// <summary>Log-perplexity of the completion given the prefix, in bits.</summary>
    [JsonPropertyName("log_perplexity")] public double LogPerplexity { get; init; }
    /// <summary>True when the completion is the canary's known secret; null when the secret is unknown.</summary>
    [JsonPropertyName("is_secret")] public bool? IsSecret { get; init; }
    /// <summary>Model rows run when this completion came out.</summary>
    [JsonPropertyName("queries_so_far")] public long QueriesSoFar { get; init; }
    /// <summary>Model rows an exact best-first search expanding one node at a time runs before this
    /// completion comes out: the attacker's cost, independent of the batching that queries_so_far reflects.</summary>
    [JsonPropertyName("rows_needed")] public long RowsNeeded { get; init; }
    /// <summary>Exposure of the completion extrapolated from a skew normal fitted to random candidates'
    /// log-perplexities (−log2 CDF, uncapped): computed when the secret is unknown, to rate the
    /// completions against the model's own distribution over the space; null otherwise.</summary>
    [JsonPropertyName("extrapolated_exposure_bits")] public double? ExtrapolatedExposureBits { get; init; }
    /// <summary>Model rows a brute-force scan of the whole space would run (|R|).</summary>
    [JsonPropertyName("brute_force_queries")] public double BruteForceQueries { get; init; }
}
