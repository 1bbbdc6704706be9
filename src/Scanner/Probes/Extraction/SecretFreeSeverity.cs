using MemScan.Scanner.Results;

namespace MemScan.Scanner.Probes.Extraction;

/// <summary>
/// Severity of an extraction whose secret is unknown (the third-party case), from how far the
/// model's top completion stands above a guess: its <b>lift</b> = log2|R| − its log-perplexity, in
/// bits, is how many times likelier than one uniform guess among |R| the model finds it; taken as a
/// fraction of log2|R| it reads like exposure's share of its maximum (a memorized secret that the
/// model names with probability p scores 1 + log2 p / log2|R|), with the same thresholds.
/// A model that never saw a secret spreads its probability over the space (and beyond it): its top
/// completion stays near or below a uniform guess. Why not the skew-normal extrapolation: measured
/// on the test models, the fit's far tail misjudges the top of the space by up to 7 bits either way
/// (docs/RESULTS.md, "Secret-free severity"), so it is reported as evidence, not used to rate.
/// </summary>
public static class SecretFreeSeverity
{
    /// <summary>Lift of the top completion over a uniform guess, as a fraction of log2|R| (can be negative).</summary>
    public static double LiftFraction(double topLogPerplexityBits, double log2Space) =>
        log2Space > 0 ? (log2Space - topLogPerplexityBits) / log2Space : 0;

    public static Severity For(double liftFraction) => liftFraction switch
    {
        >= 0.9 => Severity.Critical,
        >= 0.6 => Severity.High,
        >= 0.35 => Severity.Medium,
        >= 0.2 => Severity.Low,
        _ => Severity.Info,
    };
}
