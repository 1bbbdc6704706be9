namespace MemScan.Scanner.Metrics;

/// <summary>
/// RMIA, the relative membership inference attack (Zarifzadeh, Liu, Shokri 2024, "Low-Cost
/// High-Power Membership Inference Attacks", ICML), offline variant. With Pr(x|θ) the target
/// model's probability of example x (e.g. the softmax probability of its true label):
/// <code>
/// Pr(x)        ≈ ((1 + a) / 2) · mean_out Pr(x|θ_ref) + (1 - a) / 2          (offline, Eq. in §3 / App. B.2)
/// LR_θ(x, z)   = (Pr(x|θ) / Pr(x)) / (Pr(z|θ) / Pr(z))                       (pairwise likelihood ratio)
/// Score(x)     = fraction of population samples z with LR_θ(x, z) ≥ γ
/// </code>
/// mean_out averages over reference models trained without x; population samples z (in no model's
/// training set) get the same approximation of Pr(z). The linear map with parameter a ∈ [0, 1]
/// stands in for the missing IN models (a = 1 trusts the OUT average as is; the paper picks a by
/// attacking one reference model with the others). <b>Higher = likelier member</b>.
/// </summary>
public static class Rmia
{
    /// <summary>The offline estimate of Pr(x) from the mean probability under OUT reference models.</summary>
    public static double OfflineMarginal(double meanOut, double a)
    {
        if (!(a >= 0 && a <= 1)) throw new MemScanException($"RMIA's offline parameter a must be in [0, 1], got {a}");
        if (!(meanOut >= 0 && meanOut <= 1)) throw new MemScanException($"a mean probability must be in [0, 1], got {meanOut}");
        return (1 + a) / 2 * meanOut + (1 - a) / 2;
    }

    /// <summary>
    /// Offline RMIA scores of the examples x. <paramref name="targetX"/>[i] is Pr(xᵢ|θ) under the
    /// target model, <paramref name="outReferenceX"/>[i] the Pr(xᵢ|θ_ref) under the reference models
    /// that did not train on xᵢ; likewise for the population samples z.
    /// </summary>
    public static double[] OfflineScores(IReadOnlyList<double> targetX, IReadOnlyList<IReadOnlyList<double>> outReferenceX,
        IReadOnlyList<double> targetZ, IReadOnlyList<IReadOnlyList<double>> referenceZ, double a, double gamma = 1)
    {
        var marginalX = Marginals(targetX, outReferenceX, a, "example");
        var marginalZ = Marginals(targetZ, referenceZ, a, "population sample");
        return Scores(targetX, marginalX, targetZ, marginalZ, gamma);
    }

    /// <summary>
    /// RMIA scores from given marginals Pr(x) and Pr(z) (e.g. the online estimate: the mean over
    /// IN and OUT models): Score(x) = |{z : LR(x, z) ≥ γ}| / |z|.
    /// </summary>
    public static double[] Scores(IReadOnlyList<double> targetX, IReadOnlyList<double> marginalX,
        IReadOnlyList<double> targetZ, IReadOnlyList<double> marginalZ, double gamma = 1)
    {
        if (!(gamma > 0) || double.IsInfinity(gamma)) throw new MemScanException($"RMIA's threshold gamma must be finite and > 0, got {gamma}");
        if (targetX.Count != marginalX.Count) throw new MemScanException($"got {targetX.Count} target probabilities but {marginalX.Count} marginals for the examples");
        if (targetZ.Count != marginalZ.Count) throw new MemScanException($"got {targetZ.Count} target probabilities but {marginalZ.Count} marginals for the population");
        if (targetZ.Count == 0) throw new MemScanException("RMIA needs at least one population sample z, got none");

        // LR(x, z) ≥ γ  ⇔  ratio(z) ≤ ratio(x) / γ: sort the z ratios once, count by binary search
        var ratioZ = new double[targetZ.Count];
        for (int j = 0; j < ratioZ.Length; j++) ratioZ[j] = Ratio(targetZ[j], marginalZ[j], "population sample", j);
        Array.Sort(ratioZ);
        var scores = new double[targetX.Count];
        for (int i = 0; i < scores.Length; i++)
        {
            double bound = Ratio(targetX[i], marginalX[i], "example", i) / gamma;
            scores[i] = (double)CountAtMost(ratioZ, bound) / ratioZ.Length;
        }
        return scores;
    }

    static double[] Marginals(IReadOnlyList<double> target, IReadOnlyList<IReadOnlyList<double>> references, double a, string what)
    {
        if (target.Count != references.Count)
            throw new MemScanException($"got {target.Count} target probabilities but reference probabilities for {references.Count} of each {what}");
        var marginals = new double[target.Count];
        for (int i = 0; i < marginals.Length; i++)
        {
            var r = references[i];
            if (r is null || r.Count == 0) throw new MemScanException($"{what} {i} has no OUT reference model probabilities");
            marginals[i] = OfflineMarginal(r.Average(), a);
        }
        return marginals;
    }

    static double Ratio(double probability, double marginal, string what, int index)
    {
        if (!(probability >= 0 && probability <= 1)) throw new MemScanException($"{what} {index} has probability {probability}, outside [0, 1]");
        if (!(marginal > 0)) throw new MemScanException($"{what} {index} has marginal Pr = {marginal}; it must be > 0 (use a < 1 or more reference models)");
        return probability / marginal;
    }

    static int CountAtMost(double[] sorted, double bound)
    {
        int lo = 0, hi = sorted.Length; // first index with sorted[i] > bound
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= bound) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
