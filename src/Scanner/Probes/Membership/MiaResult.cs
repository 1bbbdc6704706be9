using MemScan.Scanner.Metrics;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Probes.Membership;

/// <summary>What the membership-inference probe measured: per attack its summary and curve, per sample its scores.</summary>
public sealed record MiaResult
{
    /// <summary>One row per attack, in the order the attacks ran.</summary>
    public required IReadOnlyList<MiaSummary> Summaries { get; init; }
    public required IReadOnlyList<(string Attack, RocCurve Curve)> Curves { get; init; }
    public required IReadOnlyList<MiaScoreRow> Scores { get; init; }
    public required IReadOnlyList<MiaSliceRow> Slices { get; init; }
    public required IReadOnlyList<Finding> Findings { get; init; }
    /// <summary>The references used, by name; the ratio reference; where the samples came from.</summary>
    public required IReadOnlyList<MiaReference> References { get; init; }
    public string? RatioReference { get; init; }
    public required string SampleSource { get; init; }
    /// <summary>Why an attack or a sample was left out (skipped LiRA variants, too-short samples, ...).</summary>
    public required IReadOnlyList<string> Notes { get; init; }
    /// <summary>Model rows spent on the target and the references together.</summary>
    public long Queries { get; init; }
    /// <summary>The part of <see cref="Queries"/> spent on the references.</summary>
    public long ReferenceQueries { get; init; }
}
