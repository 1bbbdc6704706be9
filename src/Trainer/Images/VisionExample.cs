namespace MemScan.Trainer.Images;

/// <summary>
/// One image a CNN family may train on: a pool image (member of about half the models) or an audit
/// canary. <see cref="Pixels"/> are the exact C×H×W bytes every model sees (value / 255), so the
/// scanner reproduces training inputs bit for bit from examples.parquet.
/// </summary>
public sealed record VisionExample(int Id, VisionExampleKind Kind, byte[] Pixels, int Label, int? TrueLabel, int? SourceIndex)
{
    public bool IsCanary => Kind != VisionExampleKind.Pool;
}

public enum VisionExampleKind
{
    /// <summary>A training-split image with its (possibly randomized) label.</summary>
    Pool,
    /// <summary>A real image outside the pool with a wrong label.</summary>
    Mislabeled,
    /// <summary>Uniform random bytes with a random label.</summary>
    Noise,
}
