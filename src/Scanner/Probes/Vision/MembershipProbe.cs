using MemScan.Scanner.Metrics;
using MemScan.Scanner.Plots;
using MemScan.Scanner.Results;
using MemScan.Scanner.Vision;

namespace MemScan.Scanner.Probes.Vision;

public sealed record MembershipSettings
{
    /// <summary>Bootstrap resamples for the AUC interval.</summary>
    public int Resamples { get; init; } = 200;
    /// <summary>RMIA's offline a; null tunes it on reference model ref-00 (Zarifzadeh et al. 2024, §4).</summary>
    public double? RmiaA { get; init; }
}

/// <summary>What the probe found: everything here is in its tables, findings and notes, so a resumed run reads it back whole.</summary>
public sealed record MembershipResult(IReadOnlyList<MiaSummary> Summaries, IReadOnlyList<MiaExampleRow> Rows, IReadOnlyList<string> Notes, Finding Finding);

/// <summary>
/// Membership inference on a classifier's pool (members vs held-out non-members): threshold attacks
/// on loss, confidence, entropy and modified entropy (Song &amp; Mittal 2021), LiRA online / offline with
/// per-example or fixed variance (Carlini et al. 2022) and offline RMIA (Zarifzadeh et al. 2024) from
/// the reference models. Writes mia_examples.parquet, mia.parquet, roc.parquet, roc.png,
/// roc-loglog.png and a histogram of the best attack.
/// </summary>
public static class MembershipProbe
{
    public const string Name = "mia";

    public static MembershipResult Run(ExampleSet examples, ModelPredictions target, IReadOnlyList<ModelPredictions> references,
        MembershipSettings settings, RunFolder run)
    {
        var pool = Enumerable.Range(0, examples.Rows.Count).Where(i => examples.Rows[i].Role != ExampleRow.Canary).ToArray();
        var isMember = pool.Select(i => examples.Rows[i].Role == ExampleRow.Member).ToArray();
        if (isMember.All(m => m) || isMember.All(m => !m))
            throw new MemScanException($"membership inference needs members and non-members; the examples hold {isMember.Count(m => m)} members and {isMember.Count(m => !m)} non-members");
        var labels = pool.Select(i => examples.Rows[i].Label).ToArray();
        var scores = pool.Select((e, i) => target.Scores(e, labels[i])).ToArray();
        var notes = new List<string>();

        var attacks = new List<(string Name, double[] Scores)>
        {
            ("loss", scores.Select(s => -s.Loss).ToArray()),
            ("confidence", scores.Select(s => s.Confidence).ToArray()),
            ("entropy", scores.Select(s => -s.Entropy).ToArray()),
            ("modified_entropy", scores.Select(s => -s.ModifiedEntropy).ToArray()),
        };
        // A reference trained on exactly the target's pool images (ref-clean) would put a near-copy of
        // the target into every example's IN or OUT side, by the target's own split: LiRA and RMIA
        // would be scoring the target against itself. Such references sit out of the pool attacks.
        var copies = references.Where(r => r.IsMember is { } m && pool.Select((e, i) => m[e] == isMember[i]).All(same => same)).ToList();
        foreach (var r in copies) notes.Add($"reference {r.Name} trained on exactly the target's pool members: left out of LiRA and RMIA");
        references = references.Except(copies).ToList();
        var split = ReferenceSplit.Of(references, pool, labels);
        var phi = scores.Select(s => s.Phi).ToArray();
        double[]? online = null, onlineFixed = null, offline = null, offlineFixed = null, rmia = null;
        int minIn = split.MinIn, minOut = split.MinOut;
        if (references.Count == 0) notes.Add("no reference models beside the target: LiRA and RMIA skipped (train with --references N)");
        else
        {
            if (minIn >= 2 && minOut >= 2) online = Lira.OnlineScores(phi, split.InPhi, split.OutPhi, LiraVariance.PerExample);
            if (minIn >= 1 && minOut >= 1 && (split.InPhi.Any(l => l.Count > 1) && split.OutPhi.Any(l => l.Count > 1)))
                onlineFixed = Lira.OnlineScores(phi, split.InPhi, split.OutPhi, LiraVariance.Global);
            if (minOut >= 2) offline = Lira.OfflineScores(phi, split.OutPhi, LiraVariance.PerExample);
            if (minOut >= 1 && split.OutPhi.Any(l => l.Count > 1)) offlineFixed = Lira.OfflineScores(phi, split.OutPhi, LiraVariance.Global);
            if (minOut >= 1)
            {
                double a = settings.RmiaA ?? TuneRmiaA(references, pool, labels, notes);
                var p = scores.Select(s => s.Confidence).ToArray();
                // With γ = 1 the score ranks Pr(x|θ)/Pr(x) among the same ratios of the pool, which
                // doubles as the population z: no ground truth enters, only the ranking matters.
                rmia = Rmia.OfflineScores(p, split.OutProbability, p, split.OutProbability, a);
            }
            if (online is null) notes.Add($"LiRA online with per-example variance needs >= 2 IN and >= 2 OUT references per example (have >= {minIn} IN, >= {minOut} OUT)");
            if (offline is null) notes.Add($"LiRA offline with per-example variance needs >= 2 OUT references per example (have >= {minOut})");
            foreach (var (name, s) in new[] { ("lira_online", online), ("lira_online_fixed", onlineFixed), ("lira_offline", offline), ("lira_offline_fixed", offlineFixed), ("rmia", rmia) })
                if (s is not null) attacks.Add((name, s));
        }

        var curves = attacks.Select(x => (x.Name, Curve: RocCurve.Compute(x.Scores, isMember))).ToList();
        var summaries = attacks.Select((x, k) => MiaSummary.From(x.Name, curves[k].Curve,
            RocBootstrap.Auc(x.Scores, isMember, settings.Resamples, seed: k))).ToList();
        var rows = pool.Select((e, i) => new MiaExampleRow
        {
            ExampleId = examples.Rows[e].ExampleId,
            IsMember = isMember[i],
            Label = labels[i],
            Predicted = scores[i].Predicted,
            Loss = scores[i].Loss,
            Confidence = scores[i].Confidence,
            Entropy = scores[i].Entropy,
            ModifiedEntropy = scores[i].ModifiedEntropy,
            Phi = scores[i].Phi,
            LiraOnline = online?[i],
            LiraOnlineFixed = onlineFixed?[i],
            LiraOffline = offline?[i],
            LiraOfflineFixed = offlineFixed?[i],
            Rmia = rmia?[i],
            InReferences = split.InPhi[i].Count,
            OutReferences = split.OutPhi[i].Count,
        }).ToList();

        ParquetTable<MiaExampleRow>.WriteAsync(run.TablePath(MiaExampleRow.TableName), rows).GetAwaiter().GetResult();
        ParquetTable<MiaSummary>.WriteAsync(run.TablePath(MiaSummary.TableName), summaries).GetAwaiter().GetResult();
        ParquetTable<RocRow>.WriteAsync(run.TablePath(RocRow.TableName), curves.SelectMany(c => c.Curve.ToRows(c.Name))).GetAwaiter().GetResult();
        RocPlot.Save(Path.Combine(run.Path, "roc.png"), curves, RocAxes.Linear, title: $"Membership inference ROC: {target.Name}");
        RocPlot.Save(Path.Combine(run.Path, "roc-loglog.png"), curves, RocAxes.LogLog, title: $"Membership inference ROC (log-log): {target.Name}");

        var best = summaries.OrderByDescending(s => s.TprAt1PctFpr).ThenByDescending(s => s.Auc).First();
        var bestScores = attacks.First(x => x.Name == best.Attack).Scores;
        ScoreHistogramPlot.Save(Path.Combine(run.Path, $"mia-{best.Attack}-hist.png"), best.Attack, bestScores, isMember);
        var finding = new Finding
        {
            Probe = Name,
            Subject = "model",
            Severity = VisionSeverity.Mia(best.TprAt1PctFpr, best.Auc),
            Score = best.TprAt1PctFpr,
            ScoreName = "tpr_at_1pct_fpr",
            MaxScore = 1,
            Evidence = $"best attack {best.Attack}: TPR {best.TprAt1PctFpr:P1} at 1% FPR, {best.TprAt0Point1PctFpr:P1} at 0.1% FPR, " +
                       $"AUC {best.Auc:F3} [{best.AucLow:F3}, {best.AucHigh:F3}] on {best.Members} members / {best.NonMembers} non-members",
            Queries = target.Output.Count * (1L + references.Count),
            CreatedUtc = DateTime.UtcNow,
        };
        return new MembershipResult(summaries, rows, notes, finding);
    }

    /// <summary>
    /// Picks RMIA's a from 0, 0.1, …, 1 by the AUC of attacking reference ref-00 with the other
    /// references as its OUT models (the paper's recipe: a is a property of the training algorithm,
    /// so a reference model stands in for the target). Falls back to 0.3 with fewer than 2 references.
    /// </summary>
    static double TuneRmiaA(IReadOnlyList<ModelPredictions> references, int[] pool, int[] labels, List<string> notes)
    {
        const double fallback = 0.3;
        if (references.Count < 2 || references[0].IsMember is null)
        {
            notes.Add($"RMIA a = {fallback} (tuning needs >= 2 reference models)");
            return fallback;
        }
        var pseudo = references[0];
        var others = ReferenceSplit.Of(references.Skip(1).ToList(), pool, labels);
        var keep = Enumerable.Range(0, pool.Length).Where(i => others.OutProbability[i].Count > 0).ToArray();
        var truth = keep.Select(i => pseudo.IsMember![pool[i]]).ToArray();
        if (keep.Length == 0 || truth.All(t => t) || truth.All(t => !t))
        {
            notes.Add($"RMIA a = {fallback} (no examples with OUT references besides ref-00 to tune on)");
            return fallback;
        }
        var p = keep.Select(i => pseudo.Scores(pool[i], labels[i]).Confidence).ToArray();
        var outs = keep.Select(i => (IReadOnlyList<double>)others.OutProbability[i]).ToArray();
        double bestA = fallback, bestAuc = -1;
        for (int step = 0; step <= 10; step++)
        {
            double a = step / 10.0;
            try
            {
                double auc = RocCurve.Compute(Rmia.OfflineScores(p, outs, p, outs, a), truth).Auc;
                if (auc > bestAuc + 1e-12) (bestA, bestAuc) = (a, auc);
            }
            catch (MemScanException) { } // a = 1 with a zero OUT mean has no marginal; skip that a
        }
        notes.Add($"RMIA a = {bestA:F1}, tuned on ref-00 (AUC {bestAuc:F3} against the other references)");
        return bestA;
    }
}
