using MemScan.Scanner.Manifest;
using MemScan.Trainer.Models;
using MemScan.Trainer.Privacy;

namespace MemScan.Trainer.Training;

/// <summary>
/// A trained CNN and what its training saw. <see cref="Epsilon"/> is the accountant's ε at the
/// config's δ for DP-SGD runs, null otherwise.
/// </summary>
public sealed record CnnTrainingResult(
    SmallCnn Model, double FinalLoss, long Steps, double Seconds, double ImagesPerSecond,
    double TrainAccuracy, double TestAccuracy, int TrainImages, double? Epsilon, string? Accountant)
{
    /// <summary>The random-label pre-training phase, when the config asks for one (read back from the checkpoint folder on resume).</summary>
    public PretrainingRecord? Pretraining { get; init; }

    /// <summary>The DP-SGD plan (σ, q, C, ε through <see cref="Steps"/>) of a dp-sgd run; null otherwise.</summary>
    public DpPlan? Privacy { get; init; }
}
