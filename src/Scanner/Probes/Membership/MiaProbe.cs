using System.Globalization;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Metrics;
using MemScan.Scanner.Models;
using MemScan.Scanner.Plots;
using MemScan.Scanner.Probes.Membership.Attacks;
using MemScan.Scanner.Results;
using MemScan.Scanner.Scanning;
using MemScan.Scanner.Tokenizers;

namespace MemScan.Scanner.Probes.Membership;

/// <summary>
/// Membership inference against a language model: scores known members and non-members with the
/// target-only attacks (loss, zlib, lowercase, Min-K%, Min-K%++), the reference attacks (reference
/// ratio, LiRA online/offline with per-sample or pooled variance) and trained combinations of them,
/// then reports each attack's ROC (AUC with bootstrap interval, advantage, TPR at 1%, 0.1% and 0% FPR),
/// per-sample scores and per-slice metrics. Ground truth comes from sample files or from the
/// family's membership.parquet; references from --reference and the family's ref-XX folders.
/// </summary>
public sealed class MiaProbe(LanguageModel target, ITextTokenizer tokenizer, MiaSettings settings,
    Func<string, LmIoSpec?, LanguageModel> openModel, Action<string>? log = null)
{
    public const string Name = "mia";
    public const string RocPlotFile = "roc.png", RocLogPlotFile = "roc-loglog.png";

    readonly Action<string> _log = log ?? (_ => { });
    /// <summary>Samples are cut to this many tokens: --mia-max-tokens, or the target's context when shorter.</summary>
    readonly int _maxTokens = MaxTokens(settings, target.MaxSequenceLength);

    /// <summary>
    /// The tokens a sample keeps: --mia-max-tokens, or <paramref name="context"/> when shorter. A
    /// transformer scores nothing past its context, so a longer sample is cut rather than refused:
    /// membership inference on a sample's first tokens is still membership inference.
    /// </summary>
    public static int MaxTokens(MiaSettings settings, int? context) => Math.Min(settings.MaxTokens, context ?? int.MaxValue);

    /// <summary>Whether the inputs give the probe something to do: sample files, the family's tables, or the manifest's samples.</summary>
    public static bool HasInputs(string modelPath, ModelManifest? manifest, MiaSettings settings) =>
        settings.MembersFile is not null || settings.NonMembersFile is not null ||
        File.Exists(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath))!, MembershipRow.FileName)) ||
        manifest?.Samples is { Members: not null, NonMembers: not null };

    public MiaResult Run(string modelPath, ModelManifest? manifest, string? manifestPath)
    {
        CheckSettings();
        long queriesBefore = target.Queries;
        var notes = new List<string>();
        var tables = MembershipTables.TryLoad(Path.GetDirectoryName(Path.GetFullPath(modelPath))!);
        if (_maxTokens < settings.MaxTokens)
            notes.Add($"samples cut to {_maxTokens} tokens, the target's context{target.ContextNote}, instead of --mia-max-tokens {settings.MaxTokens}");
        var (all, source) = MiaSamples.Load(settings, manifest, manifestPath, tables);
        var chosen = MiaSamples.Subsample(all, settings.MaxSamples, settings.Seed);

        // the first token of a sample has no prediction: a sample needs 2 tokens to be scored at all
        var encoded = chosen.Select(s => Cut(tokenizer.Encode(s.Text))).ToList();
        var keep = Enumerable.Range(0, chosen.Count).Where(i => encoded[i].Length >= 2).ToArray();
        if (keep.Length < chosen.Count) notes.Add($"{chosen.Count - keep.Length} of {chosen.Count} samples have fewer than 2 tokens and are not scored");
        var samples = keep.Select(i => chosen[i]).ToList();
        var ids = keep.Select(i => encoded[i]).ToList();
        int members = samples.Count(s => s.IsMember), nonMembers = samples.Count - members;
        if (members == 0 || nonMembers == 0)
            throw new MemScanException($"membership inference needs members and non-members; the {source} samples give {members} members and {nonMembers} non-members (of {all.Count} before sampling)");
        _log($"membership inference on {members} members and {nonMembers} non-members ({source})");

        var texts = samples.Select(s => s.Text).ToList();
        var isMember = samples.Select(s => s.IsMember).ToArray();
        var lengths = ids.Select(t => t.Length).ToArray();
        var targetStats = SequenceScorer.Full(target, ids, settings.MinKFraction);
        var lowercaseLoss = LowercaseLosses(texts, targetStats);

        var references = ReferenceDiscovery.Find(modelPath, settings, tables);
        var referenceLoss = new List<double[]>();
        long referenceQueries = 0;
        foreach (var reference in references)
        {
            _log($"reference {reference.Name}: {reference.ModelPath}");
            var (loss, spent) = ReferenceLosses(reference, texts, manifest, manifestPath);
            referenceLoss.Add(loss);
            referenceQueries += spent;
        }
        var referenceMember = references.Select(r => texts.Select(t => r.MembershipModel is { } m ? tables!.IsMember(m, t) : false).ToArray()).ToList();
        foreach (var r in references.Where(r => !r.MembershipKnown))
            notes.Add($"reference {r.Name} is not in a membership table: taken to have trained on none of the samples (offline)");

        int ratioIndex = RatioReferenceIndex(references);
        // LiRA's references must be drawn independently of the target's split; one that trained on
        // exactly the target's members (ref-clean) would hand the labels to the attack
        var lira = Enumerable.Range(0, references.Count).Where(r =>
        {
            bool copiesTarget = references[r].MembershipKnown && referenceMember[r].Select((m, i) => m == isMember[i]).All(x => x);
            if (copiesTarget) notes.Add($"reference {references[r].Name} trained on exactly the target's members: used for ref_ratio only, not LiRA");
            return !copiesTarget;
        }).ToList();
        var targetPhi = targetStats.Select(s => LiraReferences.Phi(s.MeanLogProb, settings.LiraStatistic)).ToArray();
        var inputs = new MiaAttackInputs
        {
            Target = targetStats,
            LowercaseLoss = lowercaseLoss,
            Texts = texts,
            RatioReferenceLoss = ratioIndex < 0 ? null : referenceLoss[ratioIndex],
            Lira = LiraReferences.Split(targetPhi,
                lira.Select(r => referenceLoss[r].Select(l => LiraReferences.Phi(-l, settings.LiraStatistic)).ToArray()).ToList(),
                lira.Select(r => referenceMember[r]).ToList()),
            IsMember = isMember,
            Lengths = lengths,
            Folds = settings.Folds,
            Seed = settings.Seed,
        };
        var scores = MiaAttackList.Score(MiaAttackList.All, inputs, notes);
        foreach (var note in notes) _log(note);

        var curves = scores.Select(kv => (Attack: kv.Key, Curve: RocCurve.Compute(kv.Value, isMember))).ToList();
        var summaries = curves.Select(c => MiaSummary.From(c.Attack, c.Curve,
            RocBootstrap.Auc(scores[c.Attack], isMember, settings.BootstrapResamples, 0.95, settings.Seed))).ToList();
        var deciles = LengthDeciles(lengths);
        long queries = target.Queries - queriesBefore + referenceQueries;
        return new MiaResult
        {
            Summaries = summaries,
            Curves = curves,
            Scores = scores.SelectMany(kv => samples.Select((s, i) => new MiaScoreRow
            {
                SampleId = s.Id, IsMember = s.IsMember, Attack = kv.Key, Score = kv.Value[i],
                LengthTokens = lengths[i], Slice = s.Slice, LengthDecile = deciles[i],
            })).ToList(),
            Slices = SliceRows(scores, samples, lengths, deciles),
            Findings = summaries.Select(s => ToFinding(s, queries)).ToList(),
            References = references,
            RatioReference = ratioIndex < 0 ? null : references[ratioIndex].Name,
            SampleSource = source,
            Notes = notes,
            Queries = queries,
            ReferenceQueries = referenceQueries,
        };
    }

    /// <summary>Writes mia.parquet, roc.parquet, mia_scores.parquet, mia_slices.parquet and the two ROC plots.</summary>
    public static void Write(RunFolder run, MiaResult result)
    {
        ParquetTable<MiaSummary>.WriteAsync(run.TablePath(MiaSummary.TableName), result.Summaries).GetAwaiter().GetResult();
        ParquetTable<RocRow>.WriteAsync(run.TablePath(RocRow.TableName), result.Curves.SelectMany(c => c.Curve.ToRows(c.Attack))).GetAwaiter().GetResult();
        ParquetTable<MiaScoreRow>.WriteAsync(run.TablePath(MiaScoreRow.TableName), result.Scores).GetAwaiter().GetResult();
        ParquetTable<MiaSliceRow>.WriteAsync(run.TablePath(MiaSliceRow.TableName), result.Slices).GetAwaiter().GetResult();
        RocPlot.Save(Path.Combine(run.Path, RocPlotFile), result.Curves, RocAxes.Linear);
        RocPlot.Save(Path.Combine(run.Path, RocLogPlotFile), result.Curves, RocAxes.LogLog);
    }

    /// <summary>The probe's settings as run.json records them.</summary>
    /// <param name="context">The target's context: when it cuts samples shorter than --mia-max-tokens, the tokens kept are recorded too.</param>
    public static IReadOnlyDictionary<string, string> Describe(MiaSettings s, int? context = null)
    {
        var c = CultureInfo.InvariantCulture;
        var d = new Dictionary<string, string>
        {
            ["min_k"] = s.MinKFraction.ToString("G", c),
            ["lira_statistic"] = s.LiraStatistic == LiraStatistic.Logit ? "logit" : "mean_logprob",
            ["folds"] = s.Folds.ToString(c),
            ["max_samples"] = s.MaxSamples.ToString(c),
            ["max_tokens"] = s.MaxTokens.ToString(c),
            ["bootstrap"] = s.BootstrapResamples.ToString(c),
            ["seed"] = s.Seed.ToString(c),
            ["discover_references"] = s.DiscoverReferences ? "true" : "false",
        };
        if (MaxTokens(s, context) < s.MaxTokens) d["effective_max_tokens"] = MaxTokens(s, context).ToString(c);
        if (s.MembersFile is not null) d["members"] = s.MembersFile;
        if (s.NonMembersFile is not null) d["non_members"] = s.NonMembersFile;
        if (s.References.Count > 0) d["references"] = string.Join(";", s.References);
        if (s.RatioReference is not null) d["ratio_reference"] = s.RatioReference;
        return d;
    }

    public static Finding ToFinding(MiaSummary s, long queries)
    {
        // with n non-members the smallest non-zero FPR is 1/n: below 1000, "0.1% FPR" means no false positive at all
        int allowed = (int)Math.Floor(0.001 * s.NonMembers * (1 + 1e-12));
        return new Finding
        {
            Probe = Name,
            Subject = s.Attack,
            Severity = MiaSeverity.Of(s),
            Score = s.TprAt0Point1PctFpr,
            ScoreName = "tpr_at_0_1pct_fpr",
            MaxScore = 1,
            Evidence = string.Create(CultureInfo.InvariantCulture,
                $"{s.Attack}: AUC {s.Auc:0.000} [{s.AucLow:0.000}, {s.AucHigh:0.000}]; TPR {100 * s.TprAt1PctFpr:0.0}% at 1% FPR, " +
                $"{100 * s.TprAt0Point1PctFpr:0.0}% at 0.1% FPR ({allowed} false positive(s) allowed among {s.NonMembers} non-members), " +
                $"{100 * s.TprAt0Fpr:0.0}% at 0 FPR; advantage {s.Advantage:0.000}; {s.Members} members"),
            Queries = queries,
            CreatedUtc = DateTime.UtcNow,
        };
    }

    void CheckSettings()
    {
        if (!(settings.MinKFraction > 0 && settings.MinKFraction <= 1)) throw new MemScanException($"--min-k must be in (0, 1], got {settings.MinKFraction}");
        if (settings.Folds == 1 || settings.Folds < 0) throw new MemScanException($"--folds must be 0 (no trained attacks) or >= 2, got {settings.Folds}");
        if (settings.MaxSamples < 1) throw new MemScanException($"--mia-max-samples must be >= 1, got {settings.MaxSamples}");
        if (settings.MaxTokens < 2) throw new MemScanException($"--mia-max-tokens must be >= 2, got {settings.MaxTokens}");
        if (settings.BootstrapResamples < 2) throw new MemScanException($"--bootstrap must be >= 2, got {settings.BootstrapResamples}");
    }

    int[] Cut(int[] ids) => Cut(ids, _maxTokens);

    static int[] Cut(int[] ids, int maxTokens) => ids.Length > maxTokens ? ids[..maxTokens] : ids;

    /// <summary>Target loss on each lowercased text; a text whose lowercase form is too short keeps its own loss (ratio 1).</summary>
    double[] LowercaseLosses(IReadOnlyList<string> texts, IReadOnlyList<SequenceStats> stats)
    {
        var lower = texts.Select(t => Cut(tokenizer.Encode(t.ToLowerInvariant()))).ToArray();
        var usable = Enumerable.Range(0, texts.Count).Where(i => lower[i].Length >= 2).ToArray();
        var losses = stats.Select(s => s.Loss).ToArray();
        var computed = SequenceScorer.Losses(target, usable.Select(i => lower[i]).ToArray());
        for (int k = 0; k < usable.Length; k++) losses[usable[k]] = computed[k];
        return losses;
    }

    (double[] Loss, long Queries) ReferenceLosses(MiaReference reference, IReadOnlyList<string> texts, ModelManifest? targetManifest, string? targetManifestPath)
    {
        var manifest = reference.ManifestPath is null ? null : ModelManifest.Load(reference.ManifestPath);
        using var model = openModel(reference.ModelPath, manifest?.Io ?? (reference.ManifestPath is null ? targetManifest?.Io : null));
        model.MaxBatch = target.MaxBatch;
        // a reference without a manifest is taken to share the target's tokenizer
        var referenceTokenizer = manifest?.Tokenizer is not null ? TokenizerSelection.For(manifest, reference.ManifestPath, null) : tokenizer;
        if (TokenizerCompatibility.CheckVocabulary(referenceTokenizer, model.VocabSize) is { } warning) _log($"{reference.Name}: {warning}");
        // a reference with a shorter context than the target sees less of each sample: said, not refused
        int maxTokens = Math.Min(_maxTokens, model.MaxSequenceLength ?? int.MaxValue);
        if (maxTokens < _maxTokens)
            _log($"{reference.Name}: samples cut to {maxTokens} tokens, the reference's context{model.ContextNote} (the target scores {_maxTokens})");
        var ids = texts.Select(t => Cut(referenceTokenizer.Encode(t), maxTokens)).ToArray();
        int shortOne = Array.FindIndex(ids, t => t.Length < 2);
        if (shortOne >= 0)
            throw new MemScanException($"reference {reference.Name}: sample {shortOne} has {ids[shortOne].Length} token(s) under its tokenizer ({referenceTokenizer.Describe()}); scoring needs 2");
        return (SequenceScorer.Losses(model, ids), model.Queries);
    }

    int RatioReferenceIndex(IReadOnlyList<MiaReference> references)
    {
        if (settings.RatioReference is null) return references.Count == 0 ? -1 : 0;
        int index = references.ToList().FindIndex(r => r.Name == settings.RatioReference);
        if (index < 0)
            throw new MemScanException($"--ratio-reference '{settings.RatioReference}' is none of the {references.Count} reference model(s): {(references.Count == 0 ? "none found" : string.Join(", ", references.Select(r => r.Name)))}");
        return index;
    }

    /// <summary>Decile of each length among all lengths (ties share a decile): ⌊10 · (#shorter) / n⌋.</summary>
    internal static int[] LengthDeciles(IReadOnlyList<int> lengths)
    {
        var sorted = lengths.Order().ToArray();
        return lengths.Select(l =>
        {
            int shorter = Array.BinarySearch(sorted, l);
            while (shorter > 0 && sorted[shorter - 1] == l) shorter--;
            return Math.Min(9, 10 * shorter / sorted.Length);
        }).ToArray();
    }

    static List<MiaSliceRow> SliceRows(Dictionary<string, double[]> scores, IReadOnlyList<MiaSample> samples, int[] lengths, int[] deciles)
    {
        var slices = new List<(string Kind, string Label, int[] Members)>();
        foreach (var g in Enumerable.Range(0, samples.Count).GroupBy(i => deciles[i]).OrderBy(g => g.Key))
            slices.Add(("length_decile", g.Key.ToString(CultureInfo.InvariantCulture), g.ToArray()));
        if (samples.Any(s => s.Slice.Length > 0))
            foreach (var g in Enumerable.Range(0, samples.Count).GroupBy(i => samples[i].Slice).OrderBy(g => g.Key, StringComparer.Ordinal))
                slices.Add(("label", g.Key, g.ToArray()));
        var rows = new List<MiaSliceRow>();
        foreach (var (attack, values) in scores)
            foreach (var (kind, label, indices) in slices)
            {
                var labels = indices.Select(i => samples[i].IsMember).ToArray();
                if (labels.All(m => m) || labels.All(m => !m)) continue;
                var curve = RocCurve.Compute(indices.Select(i => values[i]).ToArray(), labels);
                rows.Add(new MiaSliceRow
                {
                    Attack = attack, SliceKind = kind, Slice = label,
                    MinTokens = indices.Min(i => lengths[i]), MaxTokens = indices.Max(i => lengths[i]),
                    Auc = curve.Auc, Advantage = curve.Advantage,
                    TprAt1PctFpr = curve.TprAt1PercentFpr, TprAt0Point1PctFpr = curve.TprAt0Point1PercentFpr,
                    Members = curve.Members, NonMembers = curve.NonMembers,
                });
            }
        return rows;
    }
}
