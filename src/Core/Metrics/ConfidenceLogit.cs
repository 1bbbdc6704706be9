namespace MemScan.Scanner.Metrics;

/// <summary>
/// The logit-scaled confidence of LiRA (Carlini et al. 2022, "Membership Inference Attacks From
/// First Principles", IEEE S&amp;P, §IV-B): φ(p) = log(p / (1 - p)) of the model's probability p of
/// the true label (or of a sequence). It makes the per-example confidence distributions over
/// reference models approximately Gaussian. Computed in log space so that p within 1e-16 of 1
/// still gives a finite, exact φ; clamped to ±ln(1e45) ≈ ±103.6 (the 1e-45 guard of the authors'
/// code) so that a saturated model never yields ±∞.
/// </summary>
public static class ConfidenceLogit
{
    /// <summary>ln(1e45): the clamp on |φ|.</summary>
    public const double Limit = 103.61632918473205;

    /// <summary>φ from ln p: ln p - ln(1 - p), with ln(1 - p) = ln(1 - e^{ln p}) done stably.</summary>
    public static double FromLogProb(double logProb)
    {
        if (double.IsNaN(logProb) || logProb > 1e-6)
            throw new MemScanException($"a log-probability must be <= 0, got {logProb}");
        if (logProb >= 0) return Limit;
        if (double.IsNegativeInfinity(logProb)) return -Limit;
        return Math.Clamp(logProb - StableMath.Log1MExp(logProb), -Limit, Limit);
    }

    /// <summary>φ from a probability p in [0, 1] (loses precision near p = 1; prefer log or logits).</summary>
    public static double FromProbability(double probability)
    {
        if (!(probability >= 0 && probability <= 1)) throw new MemScanException($"a probability must be in [0, 1], got {probability}");
        return FromLogProb(Math.Log(probability));
    }

    /// <summary>
    /// φ straight from a classifier's logits z and the true label y: with p = softmax(z)_y,
    /// log(p / (1 - p)) = z_y - log Σ_{j≠y} e^{z_j}, exact and free of cancellation.
    /// </summary>
    public static double FromLogits(ReadOnlySpan<float> logits, int label)
    {
        if (logits.Length < 2) throw new MemScanException($"need logits for at least 2 classes, got {logits.Length}");
        if ((uint)label >= (uint)logits.Length) throw new MemScanException($"label {label} is outside the {logits.Length} classes");
        Span<double> others = logits.Length <= 1024 ? stackalloc double[logits.Length - 1] : new double[logits.Length - 1];
        for (int j = 0, k = 0; j < logits.Length; j++)
        {
            if (float.IsNaN(logits[j])) throw new MemScanException($"logit {j} of {logits.Length} is NaN");
            if (j != label) others[k++] = logits[j];
        }
        return Math.Clamp(logits[label] - StableMath.LogSumExp(others), -Limit, Limit);
    }
}
