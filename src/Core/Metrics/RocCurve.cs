namespace MemScan.Scanner.Metrics;

/// <summary>
/// The exact empirical ROC curve of a membership attack whose scores are higher for likelier members.
/// Scores are sorted in decreasing order and equal scores form one group, so a tie moves the curve
/// diagonally at once (no arbitrary order among tied examples): the points are (0, 0) at threshold
/// +∞, then one point per distinct score, ending at (1, 1).
/// <list type="bullet">
/// <item>AUC by the trapezoid rule over these points, which equals the Mann–Whitney U statistic
/// divided by n₁n₀ (ties count ½): the probability that a random member outscores a random non-member.</item>
/// <item>Attacker advantage (Yeom et al. 2018, "Privacy Risk in Machine Learning"): max over
/// thresholds of TPR - FPR.</item>
/// <item>TPR at a fixed FPR, as Carlini et al. 2022 ("Membership Inference Attacks From First
/// Principles", LiRA) report it: the largest TPR among operating points with FPR ≤ the target.</item>
/// <item>Balanced accuracy: the best (TPR + TNR) / 2 over thresholds, = (1 + advantage) / 2.</item>
/// </list>
/// </summary>
public sealed class RocCurve
{
    readonly int[] _truePositives;
    readonly int[] _falsePositives;

    RocCurve(RocPoint[] points, int[] truePositives, int[] falsePositives, int members, int nonMembers)
    {
        Points = points;
        _truePositives = truePositives;
        _falsePositives = falsePositives;
        Members = members;
        NonMembers = nonMembers;
        double area = 0;
        int advantageTp = 0, advantageFp = 0;
        for (int i = 1; i < points.Length; i++)
        {
            area += (double)(falsePositives[i] - falsePositives[i - 1]) * (truePositives[i] + truePositives[i - 1]);
            // compare TPR - FPR exactly in integers: tp/n1 - fp/n0 ∝ tp*n0 - fp*n1
            if ((long)truePositives[i] * nonMembers - (long)falsePositives[i] * members >
                (long)advantageTp * nonMembers - (long)advantageFp * members)
                (advantageTp, advantageFp) = (truePositives[i], falsePositives[i]);
        }
        Auc = area / (2.0 * members * nonMembers);
        Advantage = (double)advantageTp / members - (double)advantageFp / nonMembers;
    }

    /// <summary>Operating points from (0, 0) to (1, 1), one per distinct score plus the start.</summary>
    public IReadOnlyList<RocPoint> Points { get; }

    public int Members { get; }
    public int NonMembers { get; }

    /// <summary>Area under the curve; 0.5 is chance, 1 perfect separation.</summary>
    public double Auc { get; }

    /// <summary>max(TPR - FPR) over thresholds, in [0, 1].</summary>
    public double Advantage { get; }

    /// <summary>The best balanced accuracy over thresholds, (1 + <see cref="Advantage"/>) / 2.</summary>
    public double BalancedAccuracy => 0.5 * (1 + Advantage);

    /// <summary>TPR at 1% FPR.</summary>
    public double TprAt1PercentFpr => TprAtFpr(0.01);

    /// <summary>TPR at 0.1% FPR.</summary>
    public double TprAt0Point1PercentFpr => TprAtFpr(0.001);

    /// <summary>TPR with no false positive at all.</summary>
    public double TprAtZeroFpr => TprAtFpr(0);

    /// <summary>
    /// The largest TPR over operating points whose FPR is at most <paramref name="maxFpr"/>
    /// (0 when even the strictest threshold flags more non-members than that).
    /// </summary>
    public double TprAtFpr(double maxFpr)
    {
        if (!(maxFpr >= 0 && maxFpr <= 1)) throw new MemScanException($"a false positive rate must be in [0, 1], got {maxFpr}");
        // FP/n0 <= maxFpr, decided on counts so that 0.001 * 1000 allows exactly one false positive
        double allowed = maxFpr * NonMembers * (1 + 1e-12);
        int best = 0;
        for (int i = 0; i < Points.Count && _falsePositives[i] <= allowed; i++)
            best = _truePositives[i];
        return (double)best / Members;
    }

    /// <summary>
    /// The largest TPR over operating points whose FPR is strictly below <paramref name="fpr"/>, as
    /// Carlini et al. 2022's code reads "TPR at x FPR"; differs from <see cref="TprAtFpr"/> only when
    /// an operating point lies exactly on x (one false positive among 1,000 non-members at 0.1%).
    /// </summary>
    public double TprBelowFpr(double fpr)
    {
        if (!(fpr > 0 && fpr <= 1)) throw new MemScanException($"a false positive rate to stay below must be in (0, 1], got {fpr}");
        double limit = fpr * NonMembers * (1 - 1e-12);
        int best = 0;
        for (int i = 0; i < Points.Count && _falsePositives[i] < limit; i++)
            best = _truePositives[i];
        return (double)best / Members;
    }

    /// <summary>
    /// The curve of <paramref name="scores"/> (higher = likelier member) against
    /// <paramref name="isMember"/>. Needs at least one member and one non-member; ±∞ scores are allowed.
    /// </summary>
    public static RocCurve Compute(IReadOnlyList<double> scores, IReadOnlyList<bool> isMember)
    {
        var (members, nonMembers) = LabeledScores.Check(scores, isMember);
        int n = scores.Count;
        var order = new int[n];
        var keys = new double[n];
        for (int i = 0; i < n; i++) { order[i] = i; keys[i] = -scores[i]; }
        Array.Sort(keys, order); // decreasing score

        var points = new List<RocPoint>(n + 1) { new(0, 0, double.PositiveInfinity) };
        var tps = new List<int>(n + 1) { 0 };
        var fps = new List<int>(n + 1) { 0 };
        int tp = 0, fp = 0;
        for (int i = 0; i < n;)
        {
            double score = scores[order[i]];
            for (; i < n && scores[order[i]] == score; i++)
            {
                if (isMember[order[i]]) tp++;
                else fp++;
            }
            points.Add(new RocPoint((double)fp / nonMembers, (double)tp / members, score));
            tps.Add(tp);
            fps.Add(fp);
        }
        return new RocCurve(points.ToArray(), tps.ToArray(), fps.ToArray(), members, nonMembers);
    }
}
