namespace MemScan.Scanner.Probes.Membership;

/// <summary>
/// What LiRA treats as a sample's "confidence" φ under a model (higher = fits the model better).
/// Both are functions of the mean token log-probability ℓ̄ = -loss, computed per model.
/// </summary>
public enum LiraStatistic
{
    /// <summary>φ = ℓ̄, the mean token log-probability (nats): already near-Gaussian across models for texts of tens of tokens.</summary>
    MeanLogProb,

    /// <summary>
    /// φ = logit(exp ℓ̄): LiRA's logit scaling (Carlini et al. 2022 §IV-B) applied to the geometric-mean
    /// token probability; spreads out texts the model is near-certain of.
    /// </summary>
    Logit,
}
