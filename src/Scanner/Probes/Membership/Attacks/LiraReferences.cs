using MemScan.Scanner.Metrics;

namespace MemScan.Scanner.Probes.Membership.Attacks;

/// <summary>
/// LiRA's inputs (Carlini et al. 2022, <see cref="Lira"/>): the target's φ of each sample, and the
/// φ under the references that trained on it (IN) and did not (OUT), which give its Gaussians.
/// </summary>
public sealed record LiraReferences(IReadOnlyList<double> TargetPhi, IReadOnlyList<double>[] In, IReadOnlyList<double>[] Out, int References)
{
    public static readonly LiraReferences None = new([], [], [], 0);

    /// <summary>The fewest IN and OUT references any sample has (0 without samples).</summary>
    public int MinIn => In.Length == 0 ? 0 : In.Min(l => l.Count);
    public int MinOut => Out.Length == 0 ? 0 : Out.Min(l => l.Count);

    /// <summary>φ of a sample whose mean token log-probability is <paramref name="meanLogProb"/>.</summary>
    public static double Phi(double meanLogProb, LiraStatistic statistic) => statistic switch
    {
        LiraStatistic.MeanLogProb => meanLogProb,
        LiraStatistic.Logit => ConfidenceLogit.FromLogProb(Math.Min(0, meanLogProb)),
        _ => throw new ArgumentOutOfRangeException(nameof(statistic), statistic, "unknown LiRA statistic"),
    };

    /// <summary>
    /// <paramref name="referencePhi"/>[r][i] is sample i's φ under reference r;
    /// <paramref name="referenceMember"/>[r][i] whether r trained on it (null: unknown, r not used for i).
    /// </summary>
    public static LiraReferences Split(IReadOnlyList<double> targetPhi, IReadOnlyList<double[]> referencePhi, IReadOnlyList<bool?[]> referenceMember)
    {
        if (referencePhi.Count != referenceMember.Count)
            throw new ArgumentException($"{referencePhi.Count} reference score rows but {referenceMember.Count} membership rows");
        int n = targetPhi.Count;
        var ins = new List<double>[n];
        var outs = new List<double>[n];
        for (int i = 0; i < n; i++)
        {
            ins[i] = [];
            outs[i] = [];
            for (int r = 0; r < referencePhi.Count; r++)
                if (referenceMember[r][i] is bool member) (member ? ins[i] : outs[i]).Add(referencePhi[r][i]);
        }
        return new LiraReferences(targetPhi, ins, outs, referencePhi.Count);
    }
}
