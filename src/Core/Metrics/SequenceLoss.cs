namespace MemScan.Scanner.Metrics;

/// <summary>
/// The loss attack on a language model (Yeom et al. 2018, "Privacy Risk in Machine Learning";
/// Carlini et al. 2021, "Extracting Training Data from Large Language Models", §5.1): the mean
/// negative log-likelihood per token, in nats, and the perplexity exp(loss). Training data tends to
/// have lower loss: <b>lower = likelier member</b>; negate before <see cref="RocCurve"/>.
/// </summary>
public static class SequenceLoss
{
    /// <summary>-(1/T) Σ log p(x_t | x_&lt;t) over the T scored tokens.</summary>
    public static double Mean(ReadOnlySpan<float> tokenLogProbs)
    {
        TokenLogProbs.Check(tokenLogProbs);
        double sum = 0;
        foreach (float v in tokenLogProbs) sum += v;
        return -sum / tokenLogProbs.Length;
    }

    /// <summary>exp(mean loss): the model's effective branching factor on the text.</summary>
    public static double Perplexity(ReadOnlySpan<float> tokenLogProbs) => Math.Exp(Mean(tokenLogProbs));
}
