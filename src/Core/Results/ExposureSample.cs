using System.Text.Json.Serialization;

namespace MemScan.Scanner.Results;

/// <summary>
/// One candidate scored for a canary's skew-normal extrapolation (<c>exposure_samples.parquet</c>):
/// the true secret and the random candidates drawn with the run's exposure seed. With the fitted
/// parameters in <c>exposure.parquet</c> they let anyone recompute the extrapolated exposure
/// (docs/RESULTS.md shows how), the way TF Privacy's compute_exposure_extrapolation does it.
/// </summary>
public sealed record ExposureSample : IParquetRow
{
    public static string TableName => "exposure_samples";
    public const string FileName = "exposure_samples.parquet";

    [JsonPropertyName("canary_id")] public string CanaryId { get; init; } = "";

    /// <summary>True for the canary's secret (the value the fit is evaluated at), false for a sampled candidate.</summary>
    [JsonPropertyName("is_secret")] public bool IsSecret { get; init; }

    /// <summary>The candidate's index in its randomness space (0 .. |R| - 1).</summary>
    [JsonPropertyName("candidate_index")] public long CandidateIndex { get; init; }

    /// <summary>The candidate's text. Sensitive in the secret's row.</summary>
    [JsonPropertyName("candidate")] public string Candidate { get; init; } = "";

    /// <summary>-log2 P(candidate | template prefix), in bits, as the fit saw it.</summary>
    [JsonPropertyName("log_perplexity")] public double LogPerplexity { get; init; }
}
