using System.Text.Json.Serialization;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Probes.Vision;

/// <summary>
/// One privacy audit of a classifier's canaries (<c>audit.parquet</c>): which score ranked them, which
/// canaries (all, mislabeled, noise), which test (<c>one-run</c>: Steinke, Nasr, Jagielski 2023;
/// <c>threshold</c>: Clopper–Pearson over all thresholds with Bonferroni), the ε lower bound at the
/// stated confidence and the ceiling the same canaries could give at best.
/// </summary>
public sealed record AuditRow : IParquetRow
{
    public static string TableName => "audit";

    /// <summary>Canary score, higher = likelier included: <c>loss</c> (negated), <c>lira_online_fixed</c>, <c>lira_offline_fixed</c>, <c>clean_ratio</c> (ref-clean loss − target loss).</summary>
    [JsonPropertyName("score")] public string Score { get; init; } = "";
    /// <summary><c>all</c>, <c>mislabeled</c> or <c>noise</c>.</summary>
    [JsonPropertyName("canary_kind")] public string CanaryKind { get; init; } = "";
    /// <summary><c>one-run</c> or <c>threshold</c>.</summary>
    [JsonPropertyName("method")] public string Method { get; init; } = "";
    [JsonPropertyName("canaries")] public int Canaries { get; init; }
    /// <summary>Canaries the target trained on.</summary>
    [JsonPropertyName("included")] public int Included { get; init; }
    /// <summary>one-run: guesses made (half IN on the top scores, half OUT on the bottom); threshold: thresholds tried.</summary>
    [JsonPropertyName("guesses")] public int Guesses { get; init; }
    /// <summary>one-run: correct guesses; threshold: null.</summary>
    [JsonPropertyName("correct")] public int? Correct { get; init; }
    [JsonPropertyName("epsilon_lower_bound")] public double EpsilonLowerBound { get; init; }
    /// <summary>The bound if every guess were right (one-run) or the canaries perfectly separated (threshold).</summary>
    [JsonPropertyName("ceiling")] public double Ceiling { get; init; }
    /// <summary>one-run: OneRunAudit.Ceiling for guessing on every canary; the most this many canaries can show.</summary>
    [JsonPropertyName("ceiling_all_canaries")] public double? CeilingAllCanaries { get; init; }
    /// <summary>1 − β (one-run) or 1 − α (threshold).</summary>
    [JsonPropertyName("confidence")] public double Confidence { get; init; }
    [JsonPropertyName("delta")] public double Delta { get; init; }
    /// <summary>threshold: the score threshold, TPR lower and FPR upper bounds where the best bound was found.</summary>
    [JsonPropertyName("threshold")] public double? Threshold { get; init; }
    [JsonPropertyName("tpr_low")] public double? TprLow { get; init; }
    [JsonPropertyName("fpr_high")] public double? FprHigh { get; init; }
    /// <summary>The DP ε the manifest claims for the model (DP-SGD training), if any.</summary>
    [JsonPropertyName("claimed_epsilon")] public double? ClaimedEpsilon { get; init; }
}
