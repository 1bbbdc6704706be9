using MemScan.Scanner.Manifest;
using MemScan.Trainer.Privacy;

namespace MemScan.Trainer.Training;

/// <summary>The manifest fields both language-model trainers fill the same way.</summary>
public static class TrainingRecords
{
    /// <summary>
    /// The record with its clipping, DP-SGD guarantee (σ, q, ε, δ, accountant; null fields in
    /// standard mode) and regularization (dropout, weight decay; null when off).
    /// </summary>
    public static TrainingRecord WithRegime(this TrainingRecord record, DpPlan? dp, double clipNorm, double dropout, double weightDecay) => record with
    {
        ClipNorm = dp?.ClipNorm ?? clipNorm,
        NoiseMultiplier = dp?.NoiseMultiplier,
        SamplingRate = dp?.SamplingRate,
        Sampling = dp?.Sampling,
        Epsilon = dp?.Spent.Epsilon,
        Delta = dp?.Spent.Delta,
        Accountant = dp?.Spent.Describe(),
        Dropout = dropout > 0 ? dropout : null,
        WeightDecay = weightDecay > 0 ? weightDecay : null,
    };
}
