using System.Text.Json.Serialization;
using MemScan.Scanner.Results;

namespace MemScan.Trainer.Training;

/// <summary>One model of the pre-training comparison: a row of <c>pretrain_comparison.parquet</c>.</summary>
public sealed record PretrainComparisonRow : IParquetRow
{
    public static string TableName => "pretrain_comparison";
    public const string Pretrained = "pretrained", Scratch = "scratch";

    [JsonPropertyName("seed")] public int Seed { get; init; }
    /// <summary>"pretrained" (random-label pre-training, then fine-tuning) or "scratch" (fine-tuning budget only).</summary>
    [JsonPropertyName("arm")] public string Arm { get; init; } = "";
    [JsonPropertyName("pretrain_epochs")] public int PretrainEpochs { get; init; }
    /// <summary>Epochs on the true labels: the same for both arms.</summary>
    [JsonPropertyName("fine_tune_epochs")] public int FineTuneEpochs { get; init; }
    /// <summary>"new" or "kept" for the pretrained arm; null for scratch.</summary>
    [JsonPropertyName("head")] public string? Head { get; init; }
    [JsonPropertyName("train_accuracy")] public double TrainAccuracy { get; init; }
    [JsonPropertyName("test_accuracy")] public double TestAccuracy { get; init; }
}
