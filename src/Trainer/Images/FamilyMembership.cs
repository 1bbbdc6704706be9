namespace MemScan.Trainer.Images;

/// <summary>
/// Which examples each model of a CNN family trains on. The target takes every example
/// independently with probability 1/2 (LiRA's pool split and the one-run audit's canary draw); the
/// references use LiRA's balanced splits: every example goes to exactly ⌊M/2⌋ of the M references
/// (one more with probability 1/2 when M is odd), so each reference holds each example with
/// probability 1/2 and, for M ≥ 2, every example has IN and OUT references for online LiRA.
/// With references, a canary-free reference <c>ref-clean</c> trains on exactly the target's pool
/// images and no canary: the baseline a canary's score is compared against.
/// </summary>
public sealed record FamilyMembership(bool[] Target, bool[][] References, bool[]? Clean = null)
{
    public const string TargetName = "target", CleanName = "ref-clean";

    public static string ReferenceName(int index) => $"ref-{index:D2}";

    /// <param name="isCanary">per example, whether it is a canary (ref-clean leaves those out); null draws no ref-clean</param>
    public static FamilyMembership Draw(int examples, int references, int seed, bool[]? isCanary = null)
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
        var clean = references > 0 && isCanary is not null ? target.Select((member, e) => member && !isCanary[e]).ToArray() : null;
        return new FamilyMembership(target, refs, clean);
    }

    /// <summary>("target", membership), ("ref-00", membership), ..., then ("ref-clean", membership) when there is one.</summary>
    public IEnumerable<(string Name, bool[] Members)> Models()
    {
        var models = References.Select((m, i) => (ReferenceName(i), m)).Prepend((TargetName, Target));
        return Clean is null ? models : models.Append((CleanName, Clean));
    }
}
