namespace MemScan.Scanner.Results;

/// <summary>
/// One thing a probe found: a canary with high exposure, an extracted secret, a memorized sample,
/// a model-level membership leak. One row of <c>findings.parquet</c> (see docs/RESULTS.md).
/// </summary>
public sealed record Finding
{
    /// <summary>The probe that produced it, e.g. "exposure", "extraction", "mia".</summary>
    public required string Probe { get; init; }

    /// <summary>What it is about: a canary id, a sample id, or "model" for model-level findings.</summary>
    public required string Subject { get; init; }

    public required Severity Severity { get; init; }

    /// <summary>The headline number, in units named by <see cref="ScoreName"/>.</summary>
    public required double Score { get; init; }

    /// <summary>What <see cref="Score"/> measures, e.g. "exposure_bits", "tpr_at_1pct_fpr", "epsilon_lb".</summary>
    public required string ScoreName { get; init; }

    /// <summary>The largest value the score could take (e.g. log2|R| for exposure), when bounded.</summary>
    public double? MaxScore { get; init; }

    /// <summary>One human-readable sentence with the numbers behind the severity.</summary>
    public string Evidence { get; init; } = "";

    /// <summary>The recovered secret text, if any. Sensitive: results files are owner-only.</summary>
    public string? Secret { get; init; }

    /// <summary>Rank of the true secret among candidates (1 = first), when the probe ranks.</summary>
    public long? Rank { get; init; }

    /// <summary>Model queries (forward passes or scored candidates) the probe spent.</summary>
    public long? Queries { get; init; }

    /// <summary>When the finding was made, UTC (stored with microsecond precision).</summary>
    public DateTime CreatedUtc { get; init => field = Utc.Normalize(value); }
}
