namespace MemScan.Tui.Data;

/// <summary>
/// A finding's score on one scale across probes: 0 (nothing) to 1 (as strong as it gets), so
/// findings in different units (bits, ranks, rates) can be ordered within a severity. Raw scores
/// cannot: an extraction order of 538,354 is weak and one of 1 is the worst case, while 19.9
/// exposure bits out of 19.9 is the worst case of another unit.
/// </summary>
internal static class NormalizedScore
{
    /// <summary>
    /// score / max when the finding states its maximum; 1 / score for ranks and orders (lower is
    /// worse: rank 1 is the secret coming out first); NaN when neither applies (sorted last).
    /// </summary>
    public static double Of(double score, string scoreName, double? maxScore)
    {
        if (!double.IsFinite(score))
            return double.NaN;
        if (IsRank(scoreName))
            return score >= 1 ? 1 / score : double.NaN;
        if (maxScore is { } max && double.IsFinite(max) && max > 0)
            return Math.Clamp(score / max, 0, 1);
        return double.NaN;
    }

    /// <summary>Score names where a smaller number is the stronger finding (1 = first).</summary>
    public static bool IsRank(string scoreName) =>
        scoreName.EndsWith("_rank", StringComparison.Ordinal) || scoreName.EndsWith("_order", StringComparison.Ordinal);
}
