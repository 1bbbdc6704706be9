namespace MemScan.Trainer.References;

/// <summary>
/// Which training units (documents, canaries, images) each model trains on, deterministic from a
/// seed. Shared by the LM and vision trainers; the units are just indices here.
/// </summary>
public static class MembershipPlan
{
    /// <summary>
    /// Reference models' splits, [model][unit]: every unit goes to a random ⌊M/2⌋ of the M models,
    /// plus one more with probability 1/2 when M is odd (LiRA's balanced splits, Carlini et al.
    /// 2022). So each model holds each unit with probability exactly 1/2 and every unit has IN and
    /// OUT models (for M ≥ 2), which online LiRA needs.
    /// </summary>
    public static bool[][] Halves(int units, int models, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(units);
        ArgumentOutOfRangeException.ThrowIfNegative(models);
        var member = Enumerable.Range(0, models).Select(_ => new bool[units]).ToArray();
        var random = new Random(seed);
        var order = Enumerable.Range(0, models).ToArray();
        for (int u = 0; u < units; u++)
        {
            random.Shuffle(order);
            int take = models / 2 + (models % 2 == 1 && random.Next(2) == 1 ? 1 : 0);
            for (int k = 0; k < take; k++) member[order[k]][u] = true;
        }
        return member;
    }

    /// <summary>Each unit independently a member with probability <paramref name="probability"/> (the target's train/held-out split).</summary>
    public static bool[] Bernoulli(int units, double probability, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, units).Select(_ => random.NextDouble() < probability).ToArray();
    }
}
