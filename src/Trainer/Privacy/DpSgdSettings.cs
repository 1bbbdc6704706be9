namespace MemScan.Trainer.Privacy;

/// <summary>
/// The three numbers of one DP-SGD step: every example's gradient is clipped to L2 norm
/// <see cref="ClipNorm"/> (C), N(0, (σC)²) noise is added to their sum, and the noisy sum is divided
/// by <see cref="ExpectedBatchSize"/> (qN under Poisson sampling — not the drawn batch's size,
/// which would leak it).
/// </summary>
public sealed record DpSgdSettings(double NoiseMultiplier, double ClipNorm, double ExpectedBatchSize)
{
    public void Validate()
    {
        if (!(NoiseMultiplier >= 0) || double.IsInfinity(NoiseMultiplier))
            throw new Scanner.MemScanException($"noise multiplier must be a finite number >= 0, got {NoiseMultiplier}");
        if (!(ClipNorm > 0) || double.IsInfinity(ClipNorm))
            throw new Scanner.MemScanException($"clip norm must be a finite number > 0, got {ClipNorm}");
        if (!(ExpectedBatchSize > 0))
            throw new Scanner.MemScanException($"expected batch size must be > 0, got {ExpectedBatchSize}");
    }
}
