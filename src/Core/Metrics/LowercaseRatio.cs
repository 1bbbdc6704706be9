namespace MemScan.Scanner.Metrics;

/// <summary>
/// The lowercase membership signal of Carlini et al. 2021 ("Extracting Training Data from Large
/// Language Models", §5.2): the ratio of the model's log-perplexity (mean token loss) on the
/// lowercased text to that on the original text. A memorized text keeps its exact casing in the
/// model, so its loss rises more when lowercased: <b>higher = likelier member</b>.
/// </summary>
public static class LowercaseRatio
{
    /// <summary>lowercase loss / original loss (both mean per-token losses, same units).</summary>
    public static double Compute(double lowercaseLoss, double originalLoss)
    {
        if (!(originalLoss > 0) || double.IsInfinity(originalLoss))
            throw new MemScanException($"the lowercase ratio needs a finite original loss > 0, got {originalLoss}");
        if (double.IsNaN(lowercaseLoss) || lowercaseLoss < 0)
            throw new MemScanException($"the lowercase ratio needs a lowercase loss >= 0, got {lowercaseLoss}");
        return lowercaseLoss / originalLoss;
    }
}
