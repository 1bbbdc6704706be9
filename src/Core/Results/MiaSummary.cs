using System.Text.Json.Serialization;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Metrics;

/// <summary>
/// The headline numbers of one membership inference attack: a row of <c>mia.parquet</c>.
/// AUC with its percentile-bootstrap interval, attacker advantage, and TPR at 1%, 0.1% and 0% FPR
/// (largest TPR with FPR ≤ target, as in Carlini et al. 2022). See <see cref="RocCurve"/>.
/// </summary>
public sealed record MiaSummary : IParquetRow
{
    public static string TableName => "mia";

    [JsonPropertyName("attack")] public string Attack { get; init; } = "";

    [JsonPropertyName("auc")] public double Auc { get; init; }

    /// <summary>Lower end of the bootstrap interval on the AUC (95% unless the run says otherwise).</summary>
    [JsonPropertyName("auc_low")] public double AucLow { get; init; }

    /// <summary>Upper end of the bootstrap interval on the AUC.</summary>
    [JsonPropertyName("auc_high")] public double AucHigh { get; init; }

    /// <summary>max(TPR - FPR) over thresholds.</summary>
    [JsonPropertyName("advantage")] public double Advantage { get; init; }

    [JsonPropertyName("tpr_at_1pct_fpr")] public double TprAt1PctFpr { get; init; }

    [JsonPropertyName("tpr_at_0_1pct_fpr")] public double TprAt0Point1PctFpr { get; init; }

    [JsonPropertyName("tpr_at_0_fpr")] public double TprAt0Fpr { get; init; }

    [JsonPropertyName("members")] public int Members { get; init; }

    [JsonPropertyName("non_members")] public int NonMembers { get; init; }

    /// <summary>TPR at FPR strictly below 1%, as Carlini et al. 2022's code reads it (the columns above take FPR ≤ x).</summary>
    [JsonPropertyName("tpr_below_1pct_fpr")] public double TprBelow1PctFpr { get; init; }

    /// <summary>TPR at FPR strictly below 0.1%.</summary>
    [JsonPropertyName("tpr_below_0_1pct_fpr")] public double TprBelow0Point1PctFpr { get; init; }

    /// <summary>Summarises an attack's scores (higher = likelier member), with a seeded AUC bootstrap.</summary>
    public static MiaSummary Compute(string attack, IReadOnlyList<double> scores, IReadOnlyList<bool> isMember,
        int resamples = RocBootstrap.DefaultResamples, double confidence = 0.95, int seed = 0)
    {
        var curve = RocCurve.Compute(scores, isMember);
        var auc = RocBootstrap.Auc(scores, isMember, resamples, confidence, seed);
        return From(attack, curve, auc);
    }

    /// <summary>Summarises a computed curve and an AUC interval.</summary>
    public static MiaSummary From(string attack, RocCurve curve, ConfidenceInterval auc)
    {
        ArgumentNullException.ThrowIfNull(curve);
        return new MiaSummary
        {
            Attack = attack,
            Auc = curve.Auc,
            AucLow = auc.Low,
            AucHigh = auc.High,
            Advantage = curve.Advantage,
            TprAt1PctFpr = curve.TprAt1PercentFpr,
            TprAt0Point1PctFpr = curve.TprAt0Point1PercentFpr,
            TprAt0Fpr = curve.TprAtZeroFpr,
            Members = curve.Members,
            NonMembers = curve.NonMembers,
            TprBelow1PctFpr = curve.TprBelowFpr(0.01),
            TprBelow0Point1PctFpr = curve.TprBelowFpr(0.001),
        };
    }
}
