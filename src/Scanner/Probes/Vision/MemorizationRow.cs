using System.Text.Json.Serialization;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Probes.Vision;

/// <summary>One example of <c>memorization.parquet</c>: DNN vs k-NN label, Feldman–Zhang memorization, critical-sample search.</summary>
public sealed record MemorizationRow : IParquetRow
{
    public static string TableName => "memorization";

    [JsonPropertyName("example_id")] public int ExampleId { get; init; }
    /// <summary>member, non-member or canary (as in examples.parquet).</summary>
    [JsonPropertyName("role")] public string Role { get; init; } = "";
    [JsonPropertyName("canary_kind")] public string? CanaryKind { get; init; }
    /// <summary>Whether the target trained on it.</summary>
    [JsonPropertyName("is_member")] public bool IsMember { get; init; }
    [JsonPropertyName("label")] public int Label { get; init; }
    [JsonPropertyName("predicted")] public int Predicted { get; init; }
    /// <summary>Majority training label among the k nearest training embeddings (the example itself left out); null without embeddings.</summary>
    [JsonPropertyName("knn_label")] public int? KnnLabel { get; init; }
    /// <summary>Share of those k neighbours that carry the example's label.</summary>
    [JsonPropertyName("knn_agreement")] public double? KnnAgreement { get; init; }
    /// <summary>A training example the network labels right but its own k-NN does not: fitted, not generalized.</summary>
    [JsonPropertyName("dnn_not_knn")] public bool? DnnNotKnn { get; init; }
    /// <summary>Feldman &amp; Zhang 2020: P[correct | trained on it] − P[correct | not], over the models whose membership is known.</summary>
    [JsonPropertyName("fz_memorization")] public double? FzMemorization { get; init; }
    [JsonPropertyName("fz_in_models")] public int FzInModels { get; init; }
    [JsonPropertyName("fz_out_models")] public int FzOutModels { get; init; }
    /// <summary>Critical-sample search: null when the example was not searched, else whether a differently classified point was found in the box.</summary>
    [JsonPropertyName("critical")] public bool? Critical { get; init; }
    [JsonPropertyName("critical_steps")] public int? CriticalSteps { get; init; }
}

/// <summary>The model-level numbers of the memorization probe (<c>memorization_summary.parquet</c>, one row).</summary>
public sealed record MemorizationSummaryRow : IParquetRow
{
    public static string TableName => "memorization_summary";

    /// <summary>The manifest's training mode (standard, random-labels, dp-sgd), or empty for a foreign model.</summary>
    [JsonPropertyName("training_mode")] public string TrainingMode { get; init; } = "";
    [JsonPropertyName("train_examples")] public int TrainExamples { get; init; }
    [JsonPropertyName("knn_k")] public int KnnK { get; init; }
    [JsonPropertyName("dnn_train_accuracy")] public double DnnTrainAccuracy { get; init; }
    /// <summary>Leave-one-out k-NN accuracy on the training examples, in the embedding space (NaN without embeddings).</summary>
    [JsonPropertyName("knn_train_accuracy")] public double KnnTrainAccuracy { get; init; }
    /// <summary>Share of the pool's training members with dnn_not_knn (canaries apart: they are built to be memorized).</summary>
    [JsonPropertyName("dnn_not_knn_rate")] public double DnnNotKnnRate { get; init; }
    /// <summary>Share of the included canaries with dnn_not_knn.</summary>
    [JsonPropertyName("dnn_not_knn_rate_canaries")] public double DnnNotKnnRateCanaries { get; init; }
    /// <summary>The tensor the k-NN ran on (the embedding output, or the one named by --add-embedding-output).</summary>
    [JsonPropertyName("embedding_tensor")] public string EmbeddingTensor { get; init; } = "";
    /// <summary>Mean k-NN agreement over training examples.</summary>
    [JsonPropertyName("knn_agreement_mean")] public double KnnAgreementMean { get; init; }
    [JsonPropertyName("fz_models")] public int FzModels { get; init; }
    [JsonPropertyName("fz_mean_pool")] public double? FzMeanPool { get; init; }
    [JsonPropertyName("fz_mean_mislabeled")] public double? FzMeanMislabeled { get; init; }
    [JsonPropertyName("fz_mean_noise")] public double? FzMeanNoise { get; init; }
    /// <summary>Examples with Feldman–Zhang memorization ≥ 0.5.</summary>
    [JsonPropertyName("fz_high")] public int FzHigh { get; init; }
    [JsonPropertyName("csr_examples")] public int CsrExamples { get; init; }
    [JsonPropertyName("csr_radius")] public double CsrRadius { get; init; }
    [JsonPropertyName("csr_steps")] public int CsrSteps { get; init; }
    /// <summary>Critical sample ratio over the searched training members (NaN when none were searched).</summary>
    [JsonPropertyName("csr")] public double Csr { get; init; }
}
