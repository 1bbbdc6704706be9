using MemScan.Scanner.Metrics;
using MemScan.Scanner.Plots;
using MemScan.Scanner.Results;
using MemScan.Scanner.Vision;

namespace MemScan.Scanner.Probes.Vision;

public sealed record AuditSettings
{
    /// <summary>1 − confidence of every bound (β of the one-run audit, α of the threshold audit).</summary>
    public double Alpha { get; init; } = 0.05;
    /// <summary>δ of the audited (ε, δ) guarantee.</summary>
    public double Delta { get; init; } = 0;
    /// <summary>Share of canaries the one-run audit guesses on, half IN (top scores) and half OUT (bottom); fixed before scoring, as the test requires.</summary>
    public double GuessFraction { get; init; } = 0.2;
}

public sealed record AuditResult(IReadOnlyList<AuditRow> Rows, AuditRow Headline, Finding Finding);

/// <summary>
/// Canary audit: every canary was included in the target's training independently with probability
/// 1/2, so telling included from excluded canaries by their scores is a membership game whose
/// success lower-bounds the training run's DP ε. The headline is the one-run audit (Steinke, Nasr,
/// Jagielski 2023) of all canaries by loss, a choice fixed in advance; other scores, canary kinds
/// and the threshold audit are reported beside it. Writes audit.parquet and audit-loss-hist.png.
/// </summary>
public static class CanaryAuditProbe
{
    public const string Name = "canary_audit";

    public static AuditResult? Run(ExampleSet examples, ModelPredictions target, IReadOnlyList<ModelPredictions> references,
        double? claimedEpsilon, AuditSettings settings, RunFolder run)
    {
        var canaries = Enumerable.Range(0, examples.Rows.Count).Where(i => examples.Rows[i].Role == ExampleRow.Canary).ToArray();
        var included = canaries.Select(i => examples.Rows[i].Included).ToArray();
        if (canaries.Length == 0 || included.All(x => x) || included.All(x => !x)) return null;
        var labels = canaries.Select(i => examples.Rows[i].Label).ToArray();
        var kinds = canaries.Select(i => examples.Rows[i].CanaryKind ?? "unknown").ToArray();
        var targetScores = canaries.Select((e, i) => target.Scores(e, labels[i])).ToArray();

        var scoreSets = new List<(string Name, double[] Scores)> { ("loss", targetScores.Select(s => -s.Loss).ToArray()) };
        var split = ReferenceSplit.Of(references, canaries, labels);
        var phi = targetScores.Select(s => s.Phi).ToArray();
        bool pooled(List<double>[] side) => side.Any(l => l.Count > 1);
        if (split.MinIn >= 1 && split.MinOut >= 1 && pooled(split.InPhi) && pooled(split.OutPhi))
            scoreSets.Add(("lira_online_fixed", Lira.OnlineScores(phi, split.InPhi, split.OutPhi, LiraVariance.Global)));
        if (split.MinOut >= 1 && pooled(split.OutPhi))
            scoreSets.Add(("lira_offline_fixed", Lira.OfflineScores(phi, split.OutPhi, LiraVariance.Global)));

        // The canary-free reference's loss is each canary's own difficulty (a noise image or a
        // mislabeled one is hard for any model): the target's fit beyond it is the calibrated score.
        if (references.FirstOrDefault(r => r.Name == MembershipRow.CleanReference) is { } clean)
            scoreSets.Add(("clean_ratio", canaries.Select((e, i) => clean.Scores(e, labels[i]).Loss - targetScores[i].Loss).ToArray()));

        var rows = new List<AuditRow>();
        foreach (var (score, values) in scoreSets)
            foreach (var kind in new[] { "all" }.Concat(kinds.Distinct().Order(StringComparer.Ordinal)))
            {
                var pick = Enumerable.Range(0, canaries.Length).Where(i => kind == "all" || kinds[i] == kind).ToArray();
                var s = pick.Select(i => values[i]).ToArray();
                var inc = pick.Select(i => included[i]).ToArray();
                if (inc.All(x => x) || inc.All(x => !x)) continue;
                rows.Add(OneRun(score, kind, s, inc, claimedEpsilon, settings));
                rows.Add(Threshold(score, kind, s, inc, claimedEpsilon, settings));
            }
        ParquetTable<AuditRow>.WriteAsync(run.TablePath(AuditRow.TableName), rows).GetAwaiter().GetResult();
        ScoreHistogramPlot.Save(Path.Combine(run.Path, "audit-loss-hist.png"), "canary -loss", scoreSets[0].Scores, included);

        var headline = Headline(rows);
        var threshold = rows.First(r => r.Score == "loss" && r.CanaryKind == "all" && r.Method == "threshold");
        var finding = new Finding
        {
            Probe = Name,
            Subject = "canaries",
            Severity = VisionSeverity.Audit(headline.EpsilonLowerBound, headline.Ceiling, claimedEpsilon),
            Score = headline.EpsilonLowerBound,
            ScoreName = "epsilon_lower_bound",
            MaxScore = headline.Ceiling,
            Evidence = $"one-run audit of {headline.Canaries} canaries ({headline.Included} included) by loss: {headline.Correct} of {headline.Guesses} guesses right, " +
                       $"epsilon >= {headline.EpsilonLowerBound:F2} at {headline.Confidence:P0} confidence (ceiling {headline.Ceiling:F2} for {headline.Guesses} guesses, " +
                       $"{headline.CeilingAllCanaries:F2} for all {headline.Canaries}); threshold audit epsilon >= {threshold.EpsilonLowerBound:F2} (ceiling {threshold.Ceiling:F2})" +
                       (claimedEpsilon is { } c ? $"; claimed DP epsilon {c:G3}" + (headline.EpsilonLowerBound > c ? " is REFUTED" : " is not contradicted") : ""),
            Queries = canaries.Length * (1L + references.Count),
            CreatedUtc = DateTime.UtcNow,
        };
        return new AuditResult(rows, headline, finding);
    }

    /// <summary>The audit fixed in advance as the headline: one-run, all canaries, by loss.</summary>
    public static AuditRow Headline(IReadOnlyList<AuditRow> rows) =>
        rows.FirstOrDefault(r => r.Score == "loss" && r.CanaryKind == "all" && r.Method == "one-run")
        ?? throw new MemScanException("audit.parquet has no one-run audit of all canaries by loss");

    static AuditRow OneRun(string score, string kind, double[] s, bool[] inc, double? claimed, AuditSettings settings)
    {
        int m = s.Length;
        int side = Math.Max(1, (int)Math.Round(m * settings.GuessFraction / 2));
        side = Math.Min(side, m / 2);
        var r = OneRunAudit.FromScores(s, inc, side, side, settings.Alpha, settings.Delta);
        return new AuditRow
        {
            Score = score, CanaryKind = kind, Method = "one-run", Canaries = m, Included = inc.Count(x => x),
            Guesses = r.Guesses, Correct = r.Correct, EpsilonLowerBound = r.Epsilon, Ceiling = r.Ceiling,
            CeilingAllCanaries = OneRunAudit.Ceiling(m, m, settings.Alpha, settings.Delta),
            Confidence = 1 - settings.Alpha, Delta = settings.Delta, ClaimedEpsilon = claimed,
        };
    }

    static AuditRow Threshold(string score, string kind, double[] s, bool[] inc, double? claimed, AuditSettings settings)
    {
        var b = ThresholdAudit.Compute(s, inc, settings.Alpha, settings.Delta);
        // Perfect separation with the same canaries: as many distinct thresholds as canaries.
        var perfect = ThresholdAudit.Compute(inc.Select((x, i) => x ? 1.0 + i : -1.0 - i).ToArray(), inc, settings.Alpha, settings.Delta);
        return new AuditRow
        {
            Score = score, CanaryKind = kind, Method = "threshold", Canaries = s.Length, Included = inc.Count(x => x),
            Guesses = b.ThresholdsTried, EpsilonLowerBound = b.Epsilon, Ceiling = perfect.Epsilon,
            Confidence = 1 - settings.Alpha, Delta = settings.Delta,
            Threshold = double.IsFinite(b.Threshold) ? b.Threshold : null, TprLow = b.TprLow, FprHigh = b.FprHigh, ClaimedEpsilon = claimed,
        };
    }
}
