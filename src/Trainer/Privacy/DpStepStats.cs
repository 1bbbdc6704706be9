namespace MemScan.Trainer.Privacy;

/// <summary>
/// What one DP-SGD step saw (for logs only: these numbers are not privatized): how many examples
/// the sampler drew, their mean loss and mean unclipped gradient norm, and the share that was clipped.
/// </summary>
public sealed record DpStepStats(int Examples, double MeanLoss, double MeanGradientNorm, double ClippedFraction);
