using MemScan.Scanner.Metrics;

namespace MemScan.Scanner.Probes.Membership;

/// <summary>
/// The attacks that need the target alone (and one reference for <see cref="MiaAttacks.ReferenceRatio"/>),
/// turned so that higher = likelier member: the metric classes document which of them are
/// lower-is-member (loss, zlib ratio, reference ratio), and those are negated here.
/// </summary>
public static class BaselineAttacks
{
    public static void Add(IDictionary<string, double[]> scores, IReadOnlyList<SequenceStats> target, IReadOnlyList<double> lowercaseLoss,
        IReadOnlyList<string> texts, IReadOnlyList<double>? referenceLoss)
    {
        int n = target.Count;
        scores[MiaAttacks.Loss] = Each(n, i => -target[i].Loss);
        scores[MiaAttacks.Zlib] = Each(n, i => -ZlibRatio.Compute(target[i].Loss, texts[i]));
        // a text the model predicts perfectly has loss 0: no ratio exists, and no text is more of a member
        scores[MiaAttacks.Lowercase] = Each(n, i => target[i].Loss > 0 ? LowercaseRatio.Compute(lowercaseLoss[i], target[i].Loss) : double.PositiveInfinity);
        scores[MiaAttacks.MinK] = Each(n, i => target[i].MinK);
        scores[MiaAttacks.MinKPlusPlus] = Each(n, i => target[i].MinKPlusPlus);
        if (referenceLoss is not null)
            scores[MiaAttacks.ReferenceRatio] = Each(n, i => -ReferenceRatio.Compute(target[i].Loss, referenceLoss[i]));
    }

    static double[] Each(int n, Func<int, double> score)
    {
        var values = new double[n];
        for (int i = 0; i < n; i++) values[i] = score(i);
        return values;
    }
}
