using MemScan.Scanner.Results;

namespace MemScan.Scanner.Probes.Vision;

/// <summary>How vision evidence becomes a finding's severity (see README, "Vision probes").</summary>
public static class VisionSeverity
{
    /// <summary>
    /// Membership inference: by TPR at 1% FPR of the best attack (Carlini et al. 2022 argue the low-FPR
    /// regime is what matters), with the AUC only lifting chance-level results to low.
    /// </summary>
    public static Severity Mia(double tprAt1PctFpr, double auc) => tprAt1PctFpr switch
    {
        >= 0.5 => Severity.Critical,
        >= 0.2 => Severity.High,
        >= 0.05 => Severity.Medium,
        _ when tprAt1PctFpr >= 0.02 || auc >= 0.6 => Severity.Low,
        _ => Severity.Info,
    };

    /// <summary>
    /// Canary audit: an ε lower bound above a claimed DP ε refutes the claim (critical); otherwise the
    /// bound's share of the ceiling (the bound the same number of canaries gives when every guess is
    /// right) says how individually the canaries are remembered.
    /// </summary>
    public static Severity Audit(double epsilonLowerBound, double ceiling, double? claimedEpsilon)
    {
        if (claimedEpsilon is { } claimed && epsilonLowerBound > claimed) return Severity.Critical;
        if (!(epsilonLowerBound > 0)) return Severity.Info;
        double share = ceiling > 0 ? epsilonLowerBound / ceiling : 0;
        return share switch
        {
            >= 0.9 => Severity.Critical,
            >= 0.5 => Severity.High,
            >= 0.25 => Severity.Medium,
            _ => Severity.Low,
        };
    }

    /// <summary>Memorization: the share of training examples the network fits although its own k-NN does not.</summary>
    public static Severity Memorization(double dnnNotKnnRate) => dnnNotKnnRate switch
    {
        >= 0.5 => Severity.High,
        >= 0.2 => Severity.Medium,
        >= 0.05 => Severity.Low,
        _ => Severity.Info,
    };
}
