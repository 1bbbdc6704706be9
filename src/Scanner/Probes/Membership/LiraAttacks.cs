using MemScan.Scanner.Metrics;

namespace MemScan.Scanner.Probes.Membership;

/// <summary>
/// LiRA over the reference models (Carlini et al. 2022, <see cref="Lira"/>): each sample's φ under
/// the references that trained on it (IN) and did not (OUT) gives its Gaussians, and the target's φ
/// is scored against them. Four variants: online / offline × per-sample / pooled ("fixed") variance.
/// A variant runs only when every sample has enough references on the side(s) it needs (per-sample
/// variance: 2; pooled: 1), so all attacks are compared on the same samples; otherwise it is skipped
/// with the reason.
/// </summary>
public static class LiraAttacks
{
    /// <summary>φ of a sample whose mean token log-probability is <paramref name="meanLogProb"/>.</summary>
    public static double Phi(double meanLogProb, LiraStatistic statistic) => statistic switch
    {
        LiraStatistic.MeanLogProb => meanLogProb,
        LiraStatistic.Logit => ConfidenceLogit.FromLogProb(Math.Min(0, meanLogProb)),
        _ => throw new ArgumentOutOfRangeException(nameof(statistic), statistic, "unknown LiRA statistic"),
    };

    /// <summary>
    /// Adds the variants that can run to <paramref name="scores"/> and returns a note per skipped one.
    /// <paramref name="referencePhi"/>[r][i] is sample i's φ under reference r;
    /// <paramref name="referenceMember"/>[r][i] whether r trained on it (null: unknown, r not used for i).
    /// </summary>
    public static IReadOnlyList<string> Add(IDictionary<string, double[]> scores, IReadOnlyList<double> targetPhi,
        IReadOnlyList<double[]> referencePhi, IReadOnlyList<bool?[]> referenceMember)
    {
        if (referencePhi.Count != referenceMember.Count)
            throw new ArgumentException($"{referencePhi.Count} reference score rows but {referenceMember.Count} membership rows");
        var notes = new List<string>();
        if (referencePhi.Count == 0) return notes;
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
        int minIn = n == 0 ? 0 : ins.Min(l => l.Count), minOut = n == 0 ? 0 : outs.Min(l => l.Count);

        void Try(string name, int needIn, int needOut, Func<double[]> compute)
        {
            if (minIn < needIn || minOut < needOut)
            {
                notes.Add($"{name} skipped: needs {needIn} IN and {needOut} OUT reference(s) per sample; the worst-covered sample has {minIn} IN and {minOut} OUT");
                return;
            }
            // a pooled variance also needs some sample with 2 references on a side; Lira says so
            try { scores[name] = compute(); }
            catch (MemScanException e) { notes.Add($"{name} skipped: {e.Message}"); }
        }
        Try(MiaAttacks.LiraOnline, 2, 2, () => Lira.OnlineScores(targetPhi, ins, outs, LiraVariance.PerExample));
        Try(MiaAttacks.LiraOnlineFixed, 1, 1, () => Lira.OnlineScores(targetPhi, ins, outs, LiraVariance.Global));
        Try(MiaAttacks.LiraOffline, 0, 2, () => Lira.OfflineScores(targetPhi, outs, LiraVariance.PerExample));
        Try(MiaAttacks.LiraOfflineFixed, 0, 1, () => Lira.OfflineScores(targetPhi, outs, LiraVariance.Global));
        return notes;
    }
}
