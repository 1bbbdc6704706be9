namespace MemScan.Scanner.Probes.Membership;

/// <summary>
/// What one model says about one sample: its scored tokens (all but the first, which has no
/// prediction), the mean token loss in nats, and the Min-K% / Min-K%++ scores (NaN when not computed).
/// </summary>
public readonly record struct SequenceStats(int ScoredTokens, double Loss, double MinK, double MinKPlusPlus)
{
    /// <summary>The mean token log-probability, -<see cref="Loss"/>.</summary>
    public double MeanLogProb => -Loss;
}
