namespace MemScan.Scanner.Probes.Vision;

/// <summary>
/// LiRA's view of the reference models: per example, φ (or the label's probability) under the
/// references that trained on it (IN) and under those that did not (OUT).
/// </summary>
public sealed record ReferenceSplit(List<double>[] InPhi, List<double>[] OutPhi, List<double>[] InProbability, List<double>[] OutProbability)
{
    /// <summary>Splits over the examples at <paramref name="indices"/> (indices into the family's example list).</summary>
    public static ReferenceSplit Of(IReadOnlyList<ModelPredictions> references, IReadOnlyList<int> indices, IReadOnlyList<int> labels)
    {
        int n = indices.Count;
        List<double>[] New() => Enumerable.Range(0, n).Select(_ => new List<double>()).ToArray();
        var split = new ReferenceSplit(New(), New(), New(), New());
        foreach (var r in references)
        {
            if (r.IsMember is null) continue;
            for (int i = 0; i < n; i++)
            {
                var s = r.Scores(indices[i], labels[i]);
                bool member = r.IsMember[indices[i]];
                (member ? split.InPhi : split.OutPhi)[i].Add(s.Phi);
                (member ? split.InProbability : split.OutProbability)[i].Add(s.Confidence);
            }
        }
        return split;
    }

    public int MinIn => InPhi.Length == 0 ? 0 : InPhi.Min(l => l.Count);
    public int MinOut => OutPhi.Length == 0 ? 0 : OutPhi.Min(l => l.Count);
}
