namespace MemScan.Scanner.Sweeps;

/// <summary>
/// Draws one token from the k most likely ones (Fan et al. 2018; Carlini et al. 2021 use k = 40)
/// at a temperature, given a uniform number: a pure function of its inputs, so a sample can be
/// regenerated bit for bit. Ties in probability are broken by the lower token id.
/// </summary>
public static class TopKSampler
{
    /// <param name="logProbs">log p(next token), natural log, one per vocabulary entry.</param>
    /// <param name="k">candidates kept; 0 or ≥ the vocabulary keeps all.</param>
    /// <param name="temperature">&gt; 0; divides the log-probabilities.</param>
    /// <param name="uniform">a number in [0, 1).</param>
    public static int Sample(ReadOnlySpan<float> logProbs, int k, double temperature, double uniform)
    {
        if (logProbs.IsEmpty) throw new ArgumentException("no next-token distribution: the prompt was empty", nameof(logProbs));
        int[] candidates = TopK(logProbs, k <= 0 || k >= logProbs.Length ? logProbs.Length : k);
        double max = logProbs[candidates[0]];
        var weights = new double[candidates.Length];
        double total = 0;
        for (int i = 0; i < candidates.Length; i++)
        {
            // -inf log-probs (a masked token) get weight 0 and are never drawn
            double w = Math.Exp((logProbs[candidates[i]] - max) / temperature);
            weights[i] = double.IsNaN(w) ? 0 : w;
            total += weights[i];
        }
        double target = uniform * total, cumulative = 0;
        for (int i = 0; i < candidates.Length; i++)
        {
            cumulative += weights[i];
            if (target < cumulative) return candidates[i];
        }
        return candidates[0];
    }

    /// <summary>Indices of the k largest values, largest first, lower index first on ties.</summary>
    internal static int[] TopK(ReadOnlySpan<float> values, int k)
    {
        var best = new int[k];
        int count = 0;
        for (int i = 0; i < values.Length; i++)
        {
            float v = values[i];
            if (count == k && !(v > values[best[k - 1]])) continue;
            // insertion into the sorted prefix; k is small (tens), the vocabulary large
            int at = count < k ? count++ : k - 1;
            while (at > 0 && v > values[best[at - 1]])
            {
                best[at] = best[at - 1];
                at--;
            }
            best[at] = i;
        }
        return best;
    }
}
