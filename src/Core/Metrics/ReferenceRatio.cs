namespace MemScan.Scanner.Metrics;

/// <summary>
/// The reference-model signal of Carlini et al. 2021 ("Extracting Training Data from Large Language
/// Models", §5.2, "Small" / "Medium" comparisons) and the calibrated loss of Watson et al. 2022
/// ("On the Importance of Difficulty Calibration in Membership Inference Attacks"): the target
/// model's loss minus a reference model's loss on the same text (= ln of the perplexity ratio).
/// Text that is easy for every model is discounted; text only the target finds easy stands out:
/// <b>lower = likelier member</b>; negate before <see cref="RocCurve"/>.
/// </summary>
public static class ReferenceRatio
{
    /// <summary>target loss - reference loss (mean per-token losses in nats).</summary>
    public static double Compute(double targetLoss, double referenceLoss)
    {
        if (!double.IsFinite(targetLoss) || !double.IsFinite(referenceLoss))
            throw new MemScanException($"the reference ratio needs finite losses, got target {targetLoss} and reference {referenceLoss}");
        return targetLoss - referenceLoss;
    }

    /// <summary>From per-token log-probabilities of the same text under both models.</summary>
    public static double Compute(ReadOnlySpan<float> targetLogProbs, ReadOnlySpan<float> referenceLogProbs) =>
        Compute(SequenceLoss.Mean(targetLogProbs), SequenceLoss.Mean(referenceLogProbs));
}
