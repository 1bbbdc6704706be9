namespace MemScan.Scanner.Probes.Membership;

/// <summary>
/// The names of the probe's attacks, as they appear in mia.parquet, roc.parquet, mia_scores.parquet
/// and findings. Every attack's score is <b>higher = likelier member</b>.
/// </summary>
public static class MiaAttacks
{
    /// <summary>-(mean token loss) under the target (Yeom et al. 2018).</summary>
    public const string Loss = "loss";
    /// <summary>-(loss / zlib bits of the text) (Carlini et al. 2021 §5.2).</summary>
    public const string Zlib = "zlib";
    /// <summary>loss of the lowercased text / loss of the text (Carlini et al. 2021 §5.2).</summary>
    public const string Lowercase = "lowercase";
    /// <summary>mean of the lowest k% token log-probabilities (Shi et al. 2024).</summary>
    public const string MinK = "min_k";
    /// <summary>mean of the lowest k% standardized token log-probabilities (Zhang et al. 2025).</summary>
    public const string MinKPlusPlus = "min_k_pp";
    /// <summary>-(target loss - reference loss) with one reference (Carlini et al. 2021; Watson et al. 2022).</summary>
    public const string ReferenceRatio = "ref_ratio";
    /// <summary>Online LiRA with per-sample IN/OUT variances.</summary>
    public const string LiraOnline = "lira_online";
    /// <summary>Online LiRA with one pooled IN and one pooled OUT variance ("fixed variance").</summary>
    public const string LiraOnlineFixed = "lira_online_fixed";
    /// <summary>Offline LiRA (OUT references only) with per-sample variance.</summary>
    public const string LiraOffline = "lira_offline";
    /// <summary>Offline LiRA with the pooled OUT variance.</summary>
    public const string LiraOfflineFixed = "lira_offline_fixed";
    /// <summary>Out-of-fold scores of a logistic regression over the other attacks' scores.</summary>
    public const string TrainedLogistic = "trained_logreg";
    /// <summary>Out-of-fold scores of gradient-boosted trees over the other attacks' scores.</summary>
    public const string TrainedTrees = "trained_gbt";
}
