using MemScan.Scanner;

namespace MemScan.Trainer.Privacy;

/// <summary>
/// The <c>dp</c> block of a training config (snake_case JSON): either a noise multiplier or a
/// target ε (the noise is then calibrated with <see cref="RdpAccountant"/>), the per-example clip
/// norm, δ and the sampling scheme. Shared by every trainer that offers DP-SGD.
/// </summary>
public sealed record DpConfig
{
    /// <summary>The only sampling the accountant analyzes; see <see cref="PoissonSampler"/>.</summary>
    public const string Poisson = "poisson";

    /// <summary>σ: noise standard deviation in units of the clip norm. Give this or <see cref="TargetEpsilon"/>.</summary>
    public double? NoiseMultiplier { get; init; }
    /// <summary>ε to reach at δ after all steps (improved conversion); σ is solved for.</summary>
    public double? TargetEpsilon { get; init; }
    /// <summary>C: each example's gradient is scaled down to at most this L2 norm.</summary>
    public double ClipNorm { get; init; } = 1.0;
    public double Delta { get; init; } = 1e-5;
    public string Sampling { get; init; } = Poisson;

    public void Validate()
    {
        void Check(bool ok, string what) { if (!ok) throw new MemScanException($"invalid dp config: {what}"); }
        Check(NoiseMultiplier.HasValue != TargetEpsilon.HasValue,
            $"give exactly one of noise_multiplier and target_epsilon (got noise_multiplier {NoiseMultiplier?.ToString() ?? "none"}, target_epsilon {TargetEpsilon?.ToString() ?? "none"})");
        Check(NoiseMultiplier is null or >= 0, $"noise_multiplier must be >= 0, got {NoiseMultiplier}");
        Check(TargetEpsilon is null or > 0, $"target_epsilon must be > 0, got {TargetEpsilon}");
        Check(ClipNorm > 0, $"clip_norm must be > 0, got {ClipNorm}");
        Check(Delta is > 0 and < 1, $"delta must be in (0, 1), got {Delta}");
        Check(Sampling == Poisson, $"sampling must be '{Poisson}' (the only scheme the RDP accountant analyzes), got '{Sampling}'");
    }

    /// <summary>Fixes σ and the guarantee for a run of <paramref name="steps"/> steps over <paramref name="datasetSize"/> examples.</summary>
    public DpPlan Resolve(long datasetSize, double expectedBatchSize, long steps)
    {
        Validate();
        if (datasetSize <= 0) throw new MemScanException($"DP-SGD needs a non-empty dataset, got {datasetSize} examples");
        double q = expectedBatchSize / datasetSize;
        if (!(q > 0 && q <= 1))
            throw new MemScanException($"DP-SGD sampling rate {q:G4} = batch {expectedBatchSize} / {datasetSize} examples must be in (0, 1]: lower the batch size or add data");
        double sigma = NoiseMultiplier ?? RdpAccountant.NoiseMultiplierFor(TargetEpsilon!.Value, Delta, q, steps);
        var spent = RdpAccountant.Epsilon(q, sigma, steps, Delta);
        return new DpPlan(sigma, ClipNorm, q, q * datasetSize, datasetSize, steps, spent, Sampling);
    }
}
