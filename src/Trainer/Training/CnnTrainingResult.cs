using MemScan.Scanner.Manifest;
using MemScan.Trainer.Models;

namespace MemScan.Trainer.Training;

/// <summary>
/// A trained CNN and what its training saw. <see cref="Epsilon"/> is the accountant's ε at the
/// config's δ for DP-SGD runs, null otherwise.
/// </summary>
public sealed record CnnTrainingResult(
    SmallCnn Model, double FinalLoss, long Steps, double Seconds, double ImagesPerSecond,
    double TrainAccuracy, double TestAccuracy, int TrainImages, double? Epsilon, string? Accountant)
{
    /// <summary>The random-label pre-training phase, when the config asks for one (and the run did not resume past it).</summary>
    public PretrainingRecord? Pretraining { get; init; }
}
