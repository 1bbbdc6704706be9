using MemScan.Scanner.Models;

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
        return Sample(TopNextLogProbs.Pick(logProbs, k <= 0 || k >= logProbs.Length ? logProbs.Length : k), temperature, uniform);
    }

    /// <summary>
    /// Draws from candidates already cut to the k most likely (as <see cref="LmState.Top"/> carries
    /// them, most likely first): the same arithmetic on the same log-probs as drawing from the full
    /// row, so the same token for the same uniform number.
    /// </summary>
    public static int Sample(TopNextLogProbs candidates, double temperature, double uniform)
    {
        var tokens = candidates.Tokens;
        var logProbs = candidates.LogProbs;
        if (tokens.Length == 0) throw new ArgumentException("no candidate tokens", nameof(candidates));
        // Log-probs differ from logits by one constant per row, which cancels here: subtracting the
        // top entry makes the weights those of a softmax over logits / temperature.
        double max = logProbs[0];
        var weights = new double[tokens.Length];
        double total = 0;
        for (int i = 0; i < tokens.Length; i++)
        {
            // -inf log-probs (a masked token) get weight 0 and are never drawn
            double w = Math.Exp((logProbs[i] - max) / temperature);
            weights[i] = double.IsNaN(w) ? 0 : w;
            total += weights[i];
        }
        double target = uniform * total, cumulative = 0;
        for (int i = 0; i < tokens.Length; i++)
        {
            cumulative += weights[i];
            if (target < cumulative) return tokens[i];
        }
        return tokens[0];
    }
}
