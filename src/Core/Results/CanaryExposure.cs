using System.Text.Json.Serialization;

namespace MemScan.Scanner.Results;

/// <summary>
/// The exposure of one canary (Secret Sharer): where its true secret ranks, by log-perplexity,
/// among all candidates of its randomness space R. One row of <c>exposure.parquet</c>.
/// exposure = log2(|R| - 1) - log2 rank (TF Privacy's convention: the references are the other candidates).
/// </summary>
public sealed record CanaryExposure : IParquetRow
{
    public static string TableName => "exposure";

    /// <summary><see cref="Method"/> when every candidate of R was scored.</summary>
    public const string Exact = "exact";

    /// <summary><see cref="Method"/> when the rank comes from a skew-normal fit to sampled candidates.</summary>
    public const string Extrapolated = "extrapolated";

    [JsonPropertyName("canary_id")] public string CanaryId { get; init; } = "";

    /// <summary>The canary's format with its hole, e.g. "my pin is {digits:6}".</summary>
    [JsonPropertyName("template")] public string Template { get; init; } = "";

    /// <summary>The inserted secret (the true filling of the template). Sensitive.</summary>
    [JsonPropertyName("secret")] public string Secret { get; init; } = "";

    /// <summary>How many times the canary was inserted into the training data.</summary>
    [JsonPropertyName("insertions")] public int Insertions { get; init; }

    /// <summary>|R|, the number of candidate secrets (a double: spaces can exceed 2^63).</summary>
    [JsonPropertyName("space_size")] public double SpaceSize { get; init; }

    /// <summary>log2 |R|, the largest exposure possible.</summary>
    [JsonPropertyName("log2_space")] public double Log2Space { get; init; }

    /// <summary>Log-perplexity of the true secret given its prefix, in bits (-log2 P).</summary>
    [JsonPropertyName("log_perplexity")] public double LogPerplexity { get; init; }

    /// <summary>1-based rank of the true secret; candidates with an equal score rank ahead of it.</summary>
    [JsonPropertyName("rank")] public long Rank { get; init; }

    /// <summary>log2(|R| - 1) - log2 rank, in bits: at most log2(|R| - 1), extrapolated or not.</summary>
    [JsonPropertyName("exposure_bits")] public double ExposureBits { get; init; }

    /// <summary><see cref="Exact"/> or <see cref="Extrapolated"/>.</summary>
    [JsonPropertyName("method")] public string Method { get; init; } = Exact;

    /// <summary>The skew-normal estimate, when one was computed (always for "extrapolated"; as a cross-check otherwise).</summary>
    [JsonPropertyName("extrapolated_exposure_bits")] public double? ExtrapolatedExposureBits { get; init; }

    /// <summary>Location ξ of the skew normal fitted to the sampled candidates' log-perplexities (bits); null without a fit.</summary>
    [JsonPropertyName("fit_location")] public double? FitLocation { get; init; }

    /// <summary>Scale ω of the fitted skew normal (bits); null without a fit.</summary>
    [JsonPropertyName("fit_scale")] public double? FitScale { get; init; }

    /// <summary>Shape α of the fitted skew normal; null without a fit.</summary>
    [JsonPropertyName("fit_shape")] public double? FitShape { get; init; }

    /// <summary>Candidates whose score the rank rests on: for exact, those scored after pruning (the
    /// rest were proven worse without a score); for extrapolated, the sample size.</summary>
    [JsonPropertyName("candidates_scored")] public long CandidatesScored { get; init; }

    /// <summary>Wall-clock seconds spent on this canary.</summary>
    [JsonPropertyName("seconds")] public double Seconds { get; init; }
}
