using System.Text.Json.Serialization;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Probes.Vision;

/// <summary>One image of <c>predictions.parquet</c>: what the classifier said and how sure it was.</summary>
public sealed record PredictionRow : IParquetRow
{
    public static string TableName => "predictions";

    [JsonPropertyName("image_id")] public int ImageId { get; init; }
    [JsonPropertyName("label")] public int? Label { get; init; }
    [JsonPropertyName("predicted")] public int Predicted { get; init; }
    [JsonPropertyName("predicted_name")] public string PredictedName { get; init; } = "";
    /// <summary>Softmax probability of the predicted class.</summary>
    [JsonPropertyName("max_probability")] public double MaxProbability { get; init; }
    /// <summary>Prediction entropy in nats (0 = certain, ln K = uniform).</summary>
    [JsonPropertyName("entropy")] public double Entropy { get; init; }
    /// <summary>Cross-entropy of the label, when the image has one.</summary>
    [JsonPropertyName("loss")] public double? Loss { get; init; }
    [JsonPropertyName("correct")] public bool? Correct { get; init; }
}
