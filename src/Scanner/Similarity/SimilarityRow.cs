using System.Text.Json.Serialization;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Similarity;

/// <summary>One layer of one model against one layer of another: a row of <c>similarity.parquet</c>.</summary>
public sealed record SimilarityRow : IParquetRow
{
    public static string TableName => "similarity";

    /// <summary>The models as given on the command line (their folder names, or the file when folders repeat).</summary>
    [JsonPropertyName("model_a")] public string ModelA { get; init; } = "";
    [JsonPropertyName("model_b")] public string ModelB { get; init; } = "";
    /// <summary>0-based position of the layer among the model's chosen layers.</summary>
    [JsonPropertyName("layer_index_a")] public int LayerIndexA { get; init; }
    [JsonPropertyName("layer_index_b")] public int LayerIndexB { get; init; }
    /// <summary>The ONNX tensor names.</summary>
    [JsonPropertyName("layer_a")] public string LayerA { get; init; } = "";
    [JsonPropertyName("layer_b")] public string LayerB { get; init; } = "";
    /// <summary>Values per example of each layer (C·H·W for a feature map).</summary>
    [JsonPropertyName("features_a")] public int FeaturesA { get; init; }
    [JsonPropertyName("features_b")] public int FeaturesB { get; init; }
    /// <summary>Probe examples both layers were run on.</summary>
    [JsonPropertyName("examples")] public int Examples { get; init; }
    /// <summary>Linear CKA with the unbiased HSIC estimator, in [−1, 1] (≈ 0 for unrelated, 1 for equal up to rotation and scale).</summary>
    [JsonPropertyName("cka")] public double Cka { get; init; }
    /// <summary>Mean canonical correlation of the SVD-reduced layers (99% of variance kept).</summary>
    [JsonPropertyName("svcca")] public double Svcca { get; init; }
    /// <summary>SVD directions SVCCA kept of each layer.</summary>
    [JsonPropertyName("svcca_directions_a")] public int SvccaDirectionsA { get; init; }
    [JsonPropertyName("svcca_directions_b")] public int SvccaDirectionsB { get; init; }
}
