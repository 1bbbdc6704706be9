namespace MemScan.Scanner.Metrics;

/// <summary>
/// Exposure as TensorFlow Privacy's secret sharer defines it (exposures.py): the rank of a secret
/// is 1 + the number of reference candidates whose log-perplexity is at most the secret's
/// (references rank ahead on ties), and exposure = log2(#references) - log2(rank).
/// With full enumeration the references are every other candidate of the space, |R| - 1.
/// </summary>
public static class ExposureMath
{
    public static double FromRank(double references, double rank) => Math.Log2(references) - Math.Log2(rank);

    /// <summary>Interpolation exposure of one secret against a reference sample.</summary>
    public static double Interpolation(double secretPerplexity, IReadOnlyList<double> referencePerplexities)
    {
        long ahead = referencePerplexities.Count(p => p <= secretPerplexity);
        return FromRank(referencePerplexities.Count, ahead + 1);
    }

    /// <summary>The largest exposure a space allows: the secret ranks first among all of R.</summary>
    public static double Max(double spaceSize) => Math.Log2(spaceSize - 1);
}
