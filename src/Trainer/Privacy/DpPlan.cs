namespace MemScan.Trainer.Privacy;

/// <summary>
/// A resolved DP-SGD run: noise multiplier, clip norm, Poisson sampling rate over the dataset, the
/// number of steps, and the (ε, δ) the accountant gives for all of them (improved conversion).
/// </summary>
public sealed record DpPlan(
    double NoiseMultiplier, double ClipNorm, double SamplingRate, double ExpectedBatchSize,
    long DatasetSize, long Steps, PrivacySpent Spent, string Sampling)
{
    public DpSgdSettings Settings => new(NoiseMultiplier, ClipNorm, ExpectedBatchSize);

    public override string ToString() =>
        $"DP-SGD: sigma {NoiseMultiplier:G4}, clip {ClipNorm:G4}, q {SamplingRate:G4} ({Sampling}, {DatasetSize:N0} examples), " +
        $"{Steps:N0} steps → epsilon {Spent.Epsilon:G4} at delta {Spent.Delta:G3} (RDP order {Spent.Order:G3})";
}
