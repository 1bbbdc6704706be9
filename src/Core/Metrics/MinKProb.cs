namespace MemScan.Scanner.Metrics;

/// <summary>
/// Min-K% Prob (Shi et al. 2024, "Detecting Pretraining Data from Large Language Models", ICLR):
/// the mean of the k% lowest token log-probabilities of a text. A seen text has few very unlikely
/// tokens: <b>higher = likelier member</b>. The number of tokens kept is ⌊k·T⌋ as in the authors'
/// code, but at least one.
/// </summary>
public static class MinKProb
{
    /// <summary>The paper's usual k (20%).</summary>
    public const double DefaultFraction = 0.2;

    /// <summary>Mean of the lowest ⌊k·T⌋ (≥ 1) of the T token log-probabilities.</summary>
    public static double Score(ReadOnlySpan<float> tokenLogProbs, double fraction = DefaultFraction)
    {
        TokenLogProbs.Check(tokenLogProbs);
        var values = new double[tokenLogProbs.Length];
        for (int i = 0; i < values.Length; i++) values[i] = tokenLogProbs[i];
        return MeanOfLowest(values, fraction);
    }

    /// <summary>Mean of the lowest ⌊k·n⌋ (≥ 1) values (sorts <paramref name="values"/> in place).</summary>
    internal static double MeanOfLowest(double[] values, double fraction)
    {
        if (!(fraction > 0 && fraction <= 1)) throw new MemScanException($"k must be a fraction in (0, 1], got {fraction}");
        if (values.Length == 0) throw new MemScanException("need at least one token score, got none");
        // the small slack keeps 0.29 * 100 (= 28.999999999999996) at 29 tokens
        int count = Math.Max(1, (int)Math.Floor(fraction * values.Length + 1e-9));
        Array.Sort(values);
        double sum = 0;
        for (int i = 0; i < count; i++) sum += values[i];
        return sum / count;
    }
}
