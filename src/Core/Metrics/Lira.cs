namespace MemScan.Scanner.Metrics;

/// <summary>
/// The Likelihood Ratio Attack, LiRA (Carlini, Chien, Nasr, Song, Terzis, Tramèr 2022, "Membership
/// Inference Attacks From First Principles", IEEE S&amp;P, Algorithm 1). For a target example with
/// logit-scaled confidence φ (<see cref="ConfidenceLogit"/>) under the target model, and φ's of the
/// same example under reference (shadow) models trained with it (IN) and without it (OUT):
/// <list type="bullet">
/// <item><b>Online</b>: fit N(μ_in, σ_in²) and N(μ_out, σ_out²) and score the log likelihood ratio
/// Λ = ln p(φ | N(μ_in, σ_in²)) - ln p(φ | N(μ_out, σ_out²)).</item>
/// <item><b>Offline</b> (no IN models, §VI-C): the one-sided test of φ against the OUT Gaussian,
/// Λ = 1 - P[Z &gt; φ], Z ~ N(μ_out, σ_out²). It is returned as -ln P[Z &gt; φ], an increasing
/// function of Λ (the same ROC) that keeps its resolution where Λ rounds to 1.</item>
/// </list>
/// Every score is <b>higher = likelier member</b>. Means are sample means (Algorithm 1; the authors'
/// code uses medians); spreads per example or pooled (<see cref="LiraVariance"/>).
/// </summary>
public static class Lira
{
    /// <summary>Online LiRA score of one example.</summary>
    public static double Online(double phi, Gaussian inModels, Gaussian outModels) =>
        inModels.LogPdf(phi) - outModels.LogPdf(phi);

    /// <summary>Offline LiRA score of one example: -ln P[Z &gt; φ] for Z ~ <paramref name="outModels"/>.</summary>
    public static double Offline(double phi, Gaussian outModels) => -outModels.LogSurvival(phi);

    /// <summary>
    /// Online scores of many examples. <paramref name="inPhi"/>[i] and <paramref name="outPhi"/>[i]
    /// hold example i's φ under the reference models that did and did not train on it.
    /// </summary>
    public static double[] OnlineScores(IReadOnlyList<double> targetPhi, IReadOnlyList<IReadOnlyList<double>> inPhi,
        IReadOnlyList<IReadOnlyList<double>> outPhi, LiraVariance variance = LiraVariance.PerExample)
    {
        var ins = Fits(targetPhi, inPhi, variance, "IN");
        var outs = Fits(targetPhi, outPhi, variance, "OUT");
        var scores = new double[targetPhi.Count];
        for (int i = 0; i < scores.Length; i++) scores[i] = Online(targetPhi[i], ins[i], outs[i]);
        return scores;
    }

    /// <summary>Offline scores of many examples from OUT reference models only.</summary>
    public static double[] OfflineScores(IReadOnlyList<double> targetPhi, IReadOnlyList<IReadOnlyList<double>> outPhi,
        LiraVariance variance = LiraVariance.PerExample)
    {
        var outs = Fits(targetPhi, outPhi, variance, "OUT");
        var scores = new double[targetPhi.Count];
        for (int i = 0; i < scores.Length; i++) scores[i] = Offline(targetPhi[i], outs[i]);
        return scores;
    }

    /// <summary>One Gaussian per example, with its own or the pooled standard deviation.</summary>
    internal static Gaussian[] Fits(IReadOnlyList<double> targetPhi, IReadOnlyList<IReadOnlyList<double>> referencePhi,
        LiraVariance variance, string side)
    {
        ArgumentNullException.ThrowIfNull(targetPhi);
        ArgumentNullException.ThrowIfNull(referencePhi);
        if (targetPhi.Count != referencePhi.Count)
            throw new MemScanException($"got {targetPhi.Count} target confidences but {side} reference confidences for {referencePhi.Count} examples");
        var fits = new Gaussian[targetPhi.Count];
        double pooledSquares = 0;
        long pooledDegrees = 0;
        for (int i = 0; i < fits.Length; i++)
        {
            if (!double.IsFinite(targetPhi[i])) throw new MemScanException($"target confidence of example {i} is {targetPhi[i]}");
            var samples = referencePhi[i];
            int needed = variance == LiraVariance.PerExample ? 2 : 1;
            if (samples is null || samples.Count < needed)
                throw new MemScanException(
                    $"example {i} has {samples?.Count ?? 0} {side} reference models; {variance} variance needs at least {needed}");
            fits[i] = Gaussian.Fit(samples);
            pooledSquares += fits[i].StdDev * fits[i].StdDev * samples.Count;
            pooledDegrees += samples.Count - 1;
        }
        if (variance == LiraVariance.Global && fits.Length > 0)
        {
            if (pooledDegrees == 0)
                throw new MemScanException($"a global {side} variance needs some example with at least 2 {side} reference models; every example has 1");
            double sd = Math.Sqrt(pooledSquares / pooledDegrees);
            for (int i = 0; i < fits.Length; i++) fits[i] = fits[i] with { StdDev = sd };
        }
        return fits;
    }
}
