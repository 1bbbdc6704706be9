namespace MemScan.Scanner.Probes.Membership.Attacks;

/// <summary>What the attacks read, one entry per scored sample, in the same order.</summary>
public sealed record MiaAttackInputs
{
    /// <summary>Each sample's statistics under the target.</summary>
    public IReadOnlyList<SequenceStats> Target { get; init; } = [];
    /// <summary>The target's loss on each sample's lowercased text.</summary>
    public IReadOnlyList<double> LowercaseLoss { get; init; } = [];
    public IReadOnlyList<string> Texts { get; init; } = [];
    /// <summary>Each sample's loss under the ratio reference; null when there is none.</summary>
    public IReadOnlyList<double>? RatioReferenceLoss { get; init; }
    /// <summary>φ of each sample under the target and the LiRA references, split IN and OUT.</summary>
    public LiraReferences Lira { get; init; } = LiraReferences.None;
    public IReadOnlyList<bool> IsMember { get; init; } = [];
    /// <summary>Each sample's length in tokens (a feature of the trained attacks).</summary>
    public IReadOnlyList<int> Lengths { get; init; } = [];
    /// <summary>Folds of the trained attacks (0: off).</summary>
    public int Folds { get; init; }
    public int Seed { get; init; }
}
