namespace MemScan.Scanner.Metrics;

/// <summary>
/// Min-K%++ (Zhang et al. 2025, "Min-K%++: Improved Baseline for Detecting Pre-Training Data from
/// Large Language Models", ICLR): each token's log-probability is standardized against the model's
/// own next-token distribution at that position,
/// <code>
/// s_t = (log p(x_t | x_&lt;t) - μ_t) / σ_t,   μ_t = E_{z~p(·|x_&lt;t)}[log p(z | x_&lt;t)],
/// σ_t² = E_{z~p(·|x_&lt;t)}[(log p(z | x_&lt;t))²] - μ_t²,
/// </code>
/// and the score is the mean of the lowest k% of the s_t (⌊k·T⌋, at least one). Training texts sit
/// at local maxima of the likelihood, so their tokens score high relative to the alternatives:
/// <b>higher = likelier member</b>. Where σ_t = 0 (a uniform row or a point mass)
/// a token the model may emit scores 0, one it never emits -∞. Rows are renormalized to sum to 1.
/// </summary>
public static class MinKPlusPlus
{
    /// <summary>
    /// The standardized score s_t of every position. <paramref name="logProbs"/> holds T rows of
    /// <paramref name="vocabulary"/> natural-log next-token probabilities (a log-softmax output, row t
    /// being the distribution that predicted <paramref name="tokens"/>[t]), row-major.
    /// </summary>
    public static double[] TokenScores(ReadOnlySpan<float> logProbs, int vocabulary, ReadOnlySpan<int> tokens)
    {
        if (vocabulary < 1) throw new MemScanException($"vocabulary size must be >= 1, got {vocabulary}");
        if (tokens.IsEmpty) throw new MemScanException("need at least one token, got none");
        if (logProbs.Length != (long)tokens.Length * vocabulary)
            throw new MemScanException(
                $"expected {tokens.Length} rows of {vocabulary} log-probabilities ({(long)tokens.Length * vocabulary} values), got {logProbs.Length}");
        var scores = new double[tokens.Length];
        for (int t = 0; t < tokens.Length; t++)
            scores[t] = TokenScore(logProbs.Slice(t * vocabulary, vocabulary), tokens[t], t);
        return scores;
    }

    /// <summary><see cref="TokenScores(ReadOnlySpan{float}, int, ReadOnlySpan{int})"/> with one array per row.</summary>
    public static double[] TokenScores(IReadOnlyList<float[]> logProbRows, ReadOnlySpan<int> tokens)
    {
        ArgumentNullException.ThrowIfNull(logProbRows);
        if (logProbRows.Count != tokens.Length)
            throw new MemScanException($"got {logProbRows.Count} log-probability rows for {tokens.Length} tokens; need one row per token");
        if (tokens.IsEmpty) throw new MemScanException("need at least one token, got none");
        var scores = new double[tokens.Length];
        for (int t = 0; t < tokens.Length; t++)
            scores[t] = TokenScore(logProbRows[t], tokens[t], t);
        return scores;
    }

    /// <summary>Min-K%++ of a text from its full next-token log-probability rows (row-major).</summary>
    public static double Score(ReadOnlySpan<float> logProbs, int vocabulary, ReadOnlySpan<int> tokens, double fraction = MinKProb.DefaultFraction) =>
        MinKProb.MeanOfLowest(TokenScores(logProbs, vocabulary, tokens), fraction);

    /// <summary>Min-K%++ of a text from one log-probability array per position.</summary>
    public static double Score(IReadOnlyList<float[]> logProbRows, ReadOnlySpan<int> tokens, double fraction = MinKProb.DefaultFraction) =>
        MinKProb.MeanOfLowest(TokenScores(logProbRows, tokens), fraction);

    /// <summary>Min-K%++ from precomputed per-position scores s_t (copied, not modified).</summary>
    public static double Score(ReadOnlySpan<double> tokenScores, double fraction = MinKProb.DefaultFraction) =>
        MinKProb.MeanOfLowest(tokenScores.ToArray(), fraction);

    static double TokenScore(ReadOnlySpan<float> row, int token, int position)
    {
        if ((uint)token >= (uint)row.Length)
            throw new MemScanException($"token {position} has id {token}, outside the vocabulary of {row.Length}");
        double total = 0, weighted = 0, weightedSquare = 0;
        foreach (float v in row)
        {
            if (float.IsNaN(v) || v > 1e-4f)
                throw new MemScanException($"row {position} holds log-probability {v}; pass log-softmax outputs (<= 0)");
            if (float.IsNegativeInfinity(v)) continue; // p = 0 contributes nothing (0 · -∞ := 0)
            double p = Math.Exp(v);
            total += p;
            weighted += p * v;
            weightedSquare += p * v * v;
        }
        if (Math.Abs(total - 1) > 1e-3)
            throw new MemScanException(
                $"row {position} sums to probability {total:G6}, not 1; pass log-softmax outputs, not logits");
        // renormalize: float rounding leaves the row summing to 1 ± 1e-7, enough to fake a variance
        double mean = weighted / total;
        double variance = Math.Max(0, weightedSquare / total - mean * mean);
        double logP = row[token];
        // σ = 0 (uniform row or point mass): every possible token sits at the mean, the rest at -∞
        if (variance <= 1e-12) return logP >= mean - 1e-6 ? 0 : double.NegativeInfinity;
        return (logP - mean) / Math.Sqrt(variance);
    }
}
