namespace MemScan.Trainer.Images;

/// <summary>
/// Which examples each model of a CNN family trains on. The target takes every example
/// independently with probability 1/2 (LiRA's pool split and the one-run audit's canary draw); the
/// references use LiRA's balanced splits: every example goes to exactly ⌊M/2⌋ of the M references
/// (one more with probability 1/2 when M is odd), so each reference holds each example with
/// probability 1/2 and, for M ≥ 2, every example has IN and OUT references for online LiRA.
/// </summary>
public sealed record FamilyMembership(bool[] Target, bool[][] References)
{
    public const string TargetName = "target";

    public static string ReferenceName(int index) => $"ref-{index:D2}";

    public static FamilyMembership Draw(int examples, int references, int seed)
    {
        var targetRandom = new Random(seed ^ 0x7a26e7);
        var target = Enumerable.Range(0, examples).Select(_ => targetRandom.NextDouble() < 0.5).ToArray();
        var refs = Enumerable.Range(0, references).Select(_ => new bool[examples]).ToArray();
        var random = new Random(seed ^ 0x2ef5);
        var order = Enumerable.Range(0, references).ToArray();
        for (int e = 0; e < examples; e++)
        {
            random.Shuffle(order);
            int take = references / 2 + (references % 2 == 1 && random.Next(2) == 1 ? 1 : 0);
            for (int k = 0; k < take; k++) refs[order[k]][e] = true;
        }
        return new FamilyMembership(target, refs);
    }

    /// <summary>("target", membership), ("ref-00", membership), ...</summary>
    public IEnumerable<(string Name, bool[] Members)> Models() =>
        References.Select((m, i) => (ReferenceName(i), m)).Prepend((TargetName, Target));
}
