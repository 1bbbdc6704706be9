using MemScan.Scanner.Metrics;

namespace MemScan.Scanner.Probes.Membership.Attacks;

/// <summary>
/// A LiRA variant over the reference models (Carlini et al. 2022, <see cref="Lira"/>): the target's
/// φ scored against each sample's IN/OUT Gaussians. Four variants: online / offline × per-sample /
/// pooled ("fixed") variance. A variant runs only when every sample has enough references on the
/// side(s) it needs (per-sample variance: 2; pooled: 1), so all attacks are compared on the same
/// samples; otherwise it is skipped with the reason. Absent without references.
/// </summary>
public sealed class LiraAttack : IMiaAttack
{
    public static readonly LiraAttack Online = new(MiaAttacks.LiraOnline, online: true, LiraVariance.PerExample);
    public static readonly LiraAttack OnlineFixed = new(MiaAttacks.LiraOnlineFixed, online: true, LiraVariance.Global);
    public static readonly LiraAttack Offline = new(MiaAttacks.LiraOffline, online: false, LiraVariance.PerExample);
    public static readonly LiraAttack OfflineFixed = new(MiaAttacks.LiraOfflineFixed, online: false, LiraVariance.Global);

    readonly bool _online;
    readonly LiraVariance _variance;

    LiraAttack(string name, bool online, LiraVariance variance)
    {
        Name = name;
        _online = online;
        _variance = variance;
    }

    public string Name { get; }
    public MiaAttackStage Stage => MiaAttackStage.Signal;

    /// <summary>References each sample needs on the IN side (0 offline) and the OUT side.</summary>
    int NeedIn => !_online ? 0 : _variance == LiraVariance.PerExample ? 2 : 1;
    int NeedOut => _variance == LiraVariance.PerExample ? 2 : 1;

    public MiaAttackOutcome Score(MiaAttackInputs inputs, IReadOnlyDictionary<string, double[]> signals)
    {
        var lira = inputs.Lira;
        if (lira.References == 0) return MiaAttackOutcome.Absent;
        int minIn = lira.MinIn, minOut = lira.MinOut;
        if (minIn < NeedIn || minOut < NeedOut)
            return MiaAttackOutcome.Skip($"{Name} skipped: needs {NeedIn} IN and {NeedOut} OUT reference(s) per sample; the worst-covered sample has {minIn} IN and {minOut} OUT");
        // a pooled variance also needs some sample with 2 references on a side; Lira says so
        try
        {
            return MiaAttackOutcome.Of(_online
                ? Lira.OnlineScores(lira.TargetPhi, lira.In, lira.Out, _variance)
                : Lira.OfflineScores(lira.TargetPhi, lira.Out, _variance));
        }
        catch (MemScanException e)
        {
            return MiaAttackOutcome.Skip($"{Name} skipped: {e.Message}");
        }
    }
}
