namespace MemScan.Scanner.Metrics;

/// <summary>Checks on per-token log-probabilities (natural log, one per scored token).</summary>
internal static class TokenLogProbs
{
    /// <summary>Throws unless there is at least one token and every value is a log-probability (≤ 0, not NaN).</summary>
    public static void Check(ReadOnlySpan<float> logProbs)
    {
        if (logProbs.IsEmpty) throw new MemScanException("need the log-probability of at least one token, got none");
        for (int i = 0; i < logProbs.Length; i++)
        {
            float v = logProbs[i];
            // allow float rounding just above 0 (a certain token's log-softmax can come out as +1e-7)
            if (float.IsNaN(v) || v > 1e-4f)
                throw new MemScanException(
                    $"token {i} of {logProbs.Length} has log-probability {v}; pass natural-log probabilities (<= 0), not probabilities or logits");
        }
    }
}
