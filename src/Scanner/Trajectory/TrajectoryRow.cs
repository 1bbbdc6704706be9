using System.Text.Json.Serialization;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Trajectory;

/// <summary>
/// One subject of one snapshot: a row of <c>trajectory.parquet</c>. <see cref="SubjectKind"/> says
/// which columns are filled: <c>canary</c> (exposure), <c>mia</c> (one membership attack),
/// <c>group</c> (a classifier's example group: accuracy and loss) or <c>model</c> (the snapshot's
/// losses, accuracies and critical sample ratio).
/// </summary>
public sealed record TrajectoryRow : IParquetRow
{
    public static string TableName => "trajectory";
    public const string Canary = "canary", Mia = "mia", Group = "group", Model = "model";

    /// <summary>Steps (language models) or epochs (CNN) trained when the snapshot was taken.</summary>
    [JsonPropertyName("step")] public long Step { get; init; }
    /// <summary>"step" or "epoch".</summary>
    [JsonPropertyName("unit")] public string Unit { get; init; } = "step";
    /// <summary>Canary id, attack name, group name (real, random-label, mislabeled, noise, held-out) or "model".</summary>
    [JsonPropertyName("subject")] public string Subject { get; init; } = "";
    [JsonPropertyName("subject_kind")] public string SubjectKind { get; init; } = "";
    /// <summary>SHA-256 of the snapshot's model.onnx (a resume rescans a snapshot whose model changed).</summary>
    [JsonPropertyName("model_sha256")] public string ModelSha256 { get; init; } = "";

    [JsonPropertyName("insertions")] public int? Insertions { get; init; }
    [JsonPropertyName("exposure_bits")] public double? ExposureBits { get; init; }
    [JsonPropertyName("log2_space")] public double? Log2Space { get; init; }
    [JsonPropertyName("rank")] public long? Rank { get; init; }

    [JsonPropertyName("auc")] public double? Auc { get; init; }
    [JsonPropertyName("tpr_at_1pct_fpr")] public double? TprAt1PctFpr { get; init; }
    [JsonPropertyName("tpr_at_0_1pct_fpr")] public double? TprAt0Point1PctFpr { get; init; }

    /// <summary>Examples in the group.</summary>
    [JsonPropertyName("examples")] public int? Examples { get; init; }
    /// <summary>Share of the group predicted as its training label.</summary>
    [JsonPropertyName("accuracy")] public double? Accuracy { get; init; }
    /// <summary>Mean cross-entropy of the group's training labels, nats.</summary>
    [JsonPropertyName("mean_loss")] public double? MeanLoss { get; init; }

    /// <summary>The trainer's training loss at the snapshot (manifest).</summary>
    [JsonPropertyName("train_loss")] public double? TrainLoss { get; init; }
    /// <summary>The trainer's held-out loss at the snapshot (manifest).</summary>
    [JsonPropertyName("validation_loss")] public double? ValidationLoss { get; init; }
    /// <summary>Classifier: accuracy on every example the model trained on (pool members and included canaries), with their training labels.</summary>
    [JsonPropertyName("train_accuracy")] public double? TrainAccuracy { get; init; }
    /// <summary>Classifier: accuracy on the held-out pool images (non-members).</summary>
    [JsonPropertyName("test_accuracy")] public double? TestAccuracy { get; init; }
    /// <summary>Classifier: share of searched training members with an adversarial example within the L∞ box (Arpit et al. 2017).</summary>
    [JsonPropertyName("critical_sample_ratio")] public double? CriticalSampleRatio { get; init; }
}
