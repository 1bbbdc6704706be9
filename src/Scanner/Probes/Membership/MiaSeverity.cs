using MemScan.Scanner.Metrics;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Probes.Membership;

/// <summary>
/// The severity of one attack's finding, from its TPR at low FPR (what an attacker can claim with
/// confidence, Carlini et al. 2022), not from AUC alone:
/// critical TPR@0.1% ≥ 50%; high TPR@0.1% ≥ 10%; medium TPR@1% ≥ 10%; low TPR@1% ≥ 3% or the
/// AUC's bootstrap interval above 0.55; info otherwise. Chance is TPR = FPR.
/// </summary>
public static class MiaSeverity
{
    public static Severity Of(MiaSummary s) =>
        s.TprAt0Point1PctFpr >= 0.5 ? Severity.Critical
        : s.TprAt0Point1PctFpr >= 0.10 ? Severity.High
        : s.TprAt1PctFpr >= 0.10 ? Severity.Medium
        : s.TprAt1PctFpr >= 0.03 || s.AucLow > 0.55 ? Severity.Low
        : Severity.Info;
}
