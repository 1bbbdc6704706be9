using System.Text.Json.Serialization;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Sweeps;

/// <summary>
/// How well one metric finds memorized samples (<c>precision.parquet</c>): of its top-k
/// non-duplicate samples, how many were confirmed. Carlini et al. 2021 report the same per metric
/// (Table 2), with k = 100.
/// </summary>
public sealed class PrecisionRow : IParquetRow
{
    public static string TableName => "sweep_precision";

    [JsonPropertyName("metric")] public string Metric { get; set; } = "";
    [JsonPropertyName("top_k")] public int TopK { get; set; }
    /// <summary>Samples actually in the top k (fewer when the sweep has fewer ranked samples).</summary>
    [JsonPropertyName("samples")] public int Samples { get; set; }
    [JsonPropertyName("confirmed_in_top_k")] public int ConfirmedInTopK { get; set; }
    /// <summary>confirmed_in_top_k / samples (NaN when samples is 0).</summary>
    [JsonPropertyName("precision")] public double Precision { get; set; }
}
