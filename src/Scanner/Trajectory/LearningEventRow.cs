using System.Text.Json.Serialization;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Trajectory;

/// <summary>One classifier example over the whole run: a row of <c>learning_events.parquet</c> (see <see cref="LearningEvents"/>).</summary>
public sealed record LearningEventRow : IParquetRow
{
    public static string TableName => "learning_events";

    [JsonPropertyName("example_id")] public int ExampleId { get; init; }
    [JsonPropertyName("group")] public string Group { get; init; } = "";
    [JsonPropertyName("trained")] public bool Trained { get; init; }
    /// <summary>First snapshot step from which the example stays correct; null when it is wrong at the last snapshot.</summary>
    [JsonPropertyName("learned_at")] public long? LearnedAt { get; init; }
    /// <summary>Correct → incorrect transitions between consecutive snapshots.</summary>
    [JsonPropertyName("forgetting_events")] public int ForgettingEvents { get; init; }
    /// <summary>Learned and never forgotten (Toneva et al.'s "unforgettable", at snapshot resolution).</summary>
    [JsonPropertyName("unforgettable")] public bool Unforgettable { get; init; }
}
