using System.Text.Json.Serialization;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Trajectory;

/// <summary>One classifier example at one snapshot: a row of <c>examples_over_time.parquet</c>.</summary>
public sealed record ExampleOverTimeRow : IParquetRow
{
    public static string TableName => "examples_over_time";

    [JsonPropertyName("step")] public long Step { get; init; }
    [JsonPropertyName("example_id")] public int ExampleId { get; init; }
    /// <summary>See <see cref="ExampleGroups"/>.</summary>
    [JsonPropertyName("group")] public string Group { get; init; } = "";
    /// <summary>Whether the model trained on it.</summary>
    [JsonPropertyName("trained")] public bool Trained { get; init; }
    /// <summary>The label scored: the training label of trained examples (for random-label and mislabeled ones, the wrong one); the true label of held-out pool images.</summary>
    [JsonPropertyName("label")] public int Label { get; init; }
    [JsonPropertyName("predicted")] public int Predicted { get; init; }
    /// <summary>Cross-entropy of the label, nats.</summary>
    [JsonPropertyName("loss")] public double Loss { get; init; }
    /// <summary>Predicted class equals the label.</summary>
    [JsonPropertyName("correct")] public bool Correct { get; init; }
    /// <summary>Label logit minus the largest other logit (Toneva et al.'s margin): positive exactly when correct.</summary>
    [JsonPropertyName("margin")] public double Margin { get; init; }
}
