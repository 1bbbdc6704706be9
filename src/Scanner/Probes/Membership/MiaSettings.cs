using MemScan.Scanner.Metrics;

namespace MemScan.Scanner.Probes.Membership;

/// <summary>How the membership-inference probe runs (CLI options of <c>memscan scan --probes mia</c>).</summary>
public sealed record MiaSettings
{
    /// <summary>Member samples, one per line (default: the manifest's, or units.parquet + membership.parquet).</summary>
    public string? MembersFile { get; init; }
    /// <summary>Non-member samples, one per line; needed together with <see cref="MembersFile"/>.</summary>
    public string? NonMembersFile { get; init; }
    /// <summary>Sample lines end in a TAB and a slice label (split at the last TAB).</summary>
    public bool SampleLabels { get; init; }

    /// <summary>Reference models given on the command line (each with its manifest beside it, if any).</summary>
    public IReadOnlyList<string> References { get; init; } = [];
    /// <summary>Also use the ref-XX models listed in the target folder's membership.parquet.</summary>
    public bool DiscoverReferences { get; init; } = true;
    /// <summary>The reference of the ref_ratio attack, by name (default: the first reference).</summary>
    public string? RatioReference { get; init; }

    /// <summary>Min-K% and Min-K%++ keep the lowest k of the token scores.</summary>
    public double MinKFraction { get; init; } = MinKProb.DefaultFraction;
    /// <summary>The per-sample statistic LiRA fits its Gaussians to.</summary>
    public LiraStatistic LiraStatistic { get; init; } = LiraStatistic.MeanLogProb;
    /// <summary>Cross-validation folds of the trained attacks (0 = no trained attacks).</summary>
    public int Folds { get; init; } = 5;
    /// <summary>At most this many members and this many non-members are scored (random, seeded).</summary>
    public int MaxSamples { get; init; } = 1000;
    /// <summary>Samples are cut to this many tokens.</summary>
    public int MaxTokens { get; init; } = 512;
    /// <summary>Resamples of the AUC bootstrap.</summary>
    public int BootstrapResamples { get; init; } = RocBootstrap.DefaultResamples;
    /// <summary>Seeds the subsampling, the folds, the trained attacks and the bootstrap.</summary>
    public int Seed { get; init; } = 0;
}
