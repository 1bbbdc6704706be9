using MemScan.Scanner.Metrics;

namespace MemScan.Scanner.Probes.Vision;

/// <summary>
/// What one forward pass says about one labelled example: cross-entropy loss, the probability of the
/// label (confidence), the prediction entropy, Song &amp; Mittal's modified entropy, LiRA's φ and the
/// predicted class. All from logits in double precision with log-sum-exp, so saturated models give
/// finite, ordered scores.
/// </summary>
public readonly record struct ClassifierScores(double Loss, double Confidence, double Entropy, double ModifiedEntropy, double Phi, int Predicted)
{
    /// <summary>
    /// Modified entropy (Song &amp; Mittal 2021, "Systematic Evaluation of Privacy Risks of Machine
    /// Learning Models", USENIX Security, Eq. 4): −(1 − p_y) log p_y − Σ_{i≠y} p_i log(1 − p_i).
    /// Unlike plain entropy it is high for confident wrong predictions, so it separates members
    /// (confident and right) from non-members on both sides.
    /// </summary>
    public static ClassifierScores Of(ReadOnlySpan<float> logits, int label)
    {
        int k = logits.Length;
        if ((uint)label >= (uint)k) throw new MemScanException($"label {label} is outside the model's {k} classes");
        double max = double.NegativeInfinity;
        int predicted = 0;
        for (int j = 0; j < k; j++)
            if (logits[j] > max) (max, predicted) = (logits[j], j);
        double sum = 0;
        for (int j = 0; j < k; j++) sum += Math.Exp(logits[j] - max);
        double lse = max + Math.Log(sum);
        double entropy = 0, modified = 0;
        for (int j = 0; j < k; j++)
        {
            double logP = logits[j] - lse, p = Math.Exp(logP);
            if (p > 0) entropy -= p * logP;
            if (j == label) modified -= (1 - p) * logP;
            else modified -= p * LogOneMinus(logits, j, lse, p);
        }
        double logPy = logits[label] - lse;
        return new ClassifierScores(-logPy, Math.Exp(logPy), entropy, modified, ConfidenceLogit.FromLogits(logits, label), predicted);
    }

    /// <summary>log(1 − p_j): log1p(−p) while p is small, else log Σ_{i≠j} e^{z_i} − lse, which keeps the digits when p_j is near 1.</summary>
    static double LogOneMinus(ReadOnlySpan<float> logits, int j, double lse, double p)
    {
        if (p < 0.5) return Math.Log(1 - p);
        double max = double.NegativeInfinity;
        for (int i = 0; i < logits.Length; i++) if (i != j && logits[i] > max) max = logits[i];
        double sum = 0;
        for (int i = 0; i < logits.Length; i++) if (i != j) sum += Math.Exp(logits[i] - max);
        return Math.Max(max + Math.Log(sum) - lse, -745); // 1 − p below double range: a finite floor
    }
}
