using MemScan.Scanner.Metrics;

namespace MemScan.Scanner.Probes.Membership.Attacks;

/// <summary>
/// The attacks that need the target alone (and one reference for <see cref="ReferenceRatioAttack"/>),
/// turned so that higher = likelier member: the metric classes document which of them are
/// lower-is-member (loss, zlib ratio, reference ratio), and those are negated here.
/// </summary>
public abstract class SignalAttack : IMiaAttack
{
    public abstract string Name { get; }
    public MiaAttackStage Stage => MiaAttackStage.Signal;
    public abstract MiaAttackOutcome Score(MiaAttackInputs inputs, IReadOnlyDictionary<string, double[]> signals);

    protected static double[] Each(int n, Func<int, double> score)
    {
        var values = new double[n];
        for (int i = 0; i < n; i++) values[i] = score(i);
        return values;
    }
}

/// <summary>-(mean token loss) under the target (Yeom et al. 2018).</summary>
public sealed class LossAttack : SignalAttack
{
    public override string Name => MiaAttacks.Loss;
    public override MiaAttackOutcome Score(MiaAttackInputs x, IReadOnlyDictionary<string, double[]> signals) =>
        MiaAttackOutcome.Of(Each(x.Target.Count, i => -x.Target[i].Loss));
}

/// <summary>-(loss / zlib bits of the text) (Carlini et al. 2021 §5.2).</summary>
public sealed class ZlibAttack : SignalAttack
{
    public override string Name => MiaAttacks.Zlib;
    public override MiaAttackOutcome Score(MiaAttackInputs x, IReadOnlyDictionary<string, double[]> signals) =>
        MiaAttackOutcome.Of(Each(x.Target.Count, i => -ZlibRatio.Compute(x.Target[i].Loss, x.Texts[i])));
}

/// <summary>loss of the lowercased text / loss of the text (Carlini et al. 2021 §5.2).</summary>
public sealed class LowercaseAttack : SignalAttack
{
    public override string Name => MiaAttacks.Lowercase;
    // a text the model predicts perfectly has loss 0: no ratio exists, and no text is more of a member
    public override MiaAttackOutcome Score(MiaAttackInputs x, IReadOnlyDictionary<string, double[]> signals) =>
        MiaAttackOutcome.Of(Each(x.Target.Count, i => x.Target[i].Loss > 0 ? LowercaseRatio.Compute(x.LowercaseLoss[i], x.Target[i].Loss) : double.PositiveInfinity));
}

/// <summary>Mean of the lowest k% token log-probabilities (Shi et al. 2024).</summary>
public sealed class MinKAttack : SignalAttack
{
    public override string Name => MiaAttacks.MinK;
    public override MiaAttackOutcome Score(MiaAttackInputs x, IReadOnlyDictionary<string, double[]> signals) =>
        MiaAttackOutcome.Of(Each(x.Target.Count, i => x.Target[i].MinK));
}

/// <summary>Mean of the lowest k% standardized token log-probabilities (Zhang et al. 2025).</summary>
public sealed class MinKPlusPlusAttack : SignalAttack
{
    public override string Name => MiaAttacks.MinKPlusPlus;
    public override MiaAttackOutcome Score(MiaAttackInputs x, IReadOnlyDictionary<string, double[]> signals) =>
        MiaAttackOutcome.Of(Each(x.Target.Count, i => x.Target[i].MinKPlusPlus));
}

/// <summary>-(target loss - reference loss) with one reference (Carlini et al. 2021; Watson et al. 2022); absent without a reference.</summary>
public sealed class ReferenceRatioAttack : SignalAttack
{
    public override string Name => MiaAttacks.ReferenceRatio;
    public override MiaAttackOutcome Score(MiaAttackInputs x, IReadOnlyDictionary<string, double[]> signals) =>
        x.RatioReferenceLoss is { } reference
            ? MiaAttackOutcome.Of(Each(x.Target.Count, i => -ReferenceRatio.Compute(x.Target[i].Loss, reference[i])))
            : MiaAttackOutcome.Absent;
}
