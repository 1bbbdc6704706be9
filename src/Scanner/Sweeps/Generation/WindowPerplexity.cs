namespace MemScan.Scanner.Sweeps;

/// <summary>
/// The sliding-window signal of Carlini et al. 2021 (§5.2, "Window"): the lowest mean token loss
/// over any w consecutive tokens. A memorized stretch inside otherwise ordinary text lowers the
/// minimum without moving the whole-sample perplexity much. <b>Lower = likelier memorized.</b>
/// Samples shorter than the window are scored over all their tokens.
/// </summary>
public static class WindowPerplexity
{
    /// <summary>min over windows of −(1/w) Σ ln p, in nats.</summary>
    public static double MinMeanLoss(ReadOnlySpan<float> tokenLogProbs, int window)
    {
        if (tokenLogProbs.IsEmpty) throw new MemScanException("the window perplexity needs at least 1 token, got none");
        if (window <= 0) throw new MemScanException($"the window must be > 0 tokens, got {window}");
        int w = Math.Min(window, tokenLogProbs.Length);
        double sum = 0;
        for (int i = 0; i < w; i++) sum += tokenLogProbs[i];
        double best = sum;
        for (int i = w; i < tokenLogProbs.Length; i++)
        {
            sum += tokenLogProbs[i] - tokenLogProbs[i - w];
            if (sum > best) best = sum;
        }
        return -best / w;
    }
}
