using System.Globalization;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Sweeps;

/// <summary>
/// <c>memscan sweep merge</c>: reads every shard's parts (skipping and reporting corrupt ones),
/// refuses an incomplete sweep unless partial merges are allowed, removes near-duplicates, ranks the samples by each metric, confirms them against the training
/// text and the manifest's canaries, and writes ranked.parquet, precision.parquet and
/// findings.parquet (and merge.json, saying whether the sweep was whole) into the sweep folder (beside the shard folders, so readers of
/// <c>*/*.parquet</c> still see the parts only).
/// </summary>
public static class SweepMerge
{
    public const string Probe = "sweep";

    public static async Task<SweepMergeResult> RunAsync(SweepMergeOptions options, Action<string>? log = null, CancellationToken ct = default)
    {
        log ??= _ => { };
        if (!Directory.Exists(options.SweepDir)) throw new MemScanException($"sweep folder {options.SweepDir} does not exist");
        if (options.TopK.Count == 0 || options.TopK.Any(k => k <= 0))
            throw new MemScanException($"--top must be positive integers, got {string.Join(",", options.TopK)}");

        string infoPath = Path.Combine(options.SweepDir, SweepInfo.FileName);
        SweepInfo? info = File.Exists(infoPath) ? SweepInfo.Read(infoPath) : null;
        if (info is null) log($"{infoPath} is missing: merging the parts without knowing the sweep's size or model");

        var read = await HiveFolder.ReadAllAsync<SweepSampleRow>(options.SweepDir, ct).ConfigureAwait(false);
        foreach (var skipped in read.Skipped) log($"skipped corrupt part {skipped.Path}: {skipped.Reason}");
        if (read.Parts.Count == 0)
            throw new MemScanException($"{options.SweepDir} has no readable part (shard=NNNN/part-XXXX.parquet; {read.Skipped.Count} corrupt)");

        // A sample index can only repeat when folders were copied together by hand: keep the first.
        var rows = new List<SweepSampleRow>();
        var seen = new HashSet<long>();
        foreach (var row in read.Rows)
            if (seen.Add(row.SampleIndex)) rows.Add(row);
        int repeated = read.Rows.Count - rows.Count;
        if (repeated > 0) log($"{repeated} rows repeat a sample index already read and were ignored");
        rows.Sort((a, b) => a.SampleIndex.CompareTo(b.SampleIndex));

        // An incomplete sweep ranked as if it were whole would publish a part silently: refuse it
        // (exit 3, naming the gaps) unless the caller accepts a partial merge, which is then recorded.
        var completeness = info is null ? null : SweepCompleteness.Check(options.SweepDir, info, rows.Select(r => r.SampleIndex).ToList());
        if (completeness is { Complete: false })
        {
            if (!options.AllowPartial) throw new SweepIncompleteException(options.SweepDir, completeness);
            log($"--allow-partial: {completeness.Describe()}");
        }
        long expected = completeness?.ExpectedSamples ?? rows.Count;

        var (manifest, manifestPath) = LoadManifest(options.ManifestPath ?? info?.ManifestPath, explicitPath: options.ManifestPath is not null, log);
        var canaries = new CanaryMatch(manifest?.LoadCanaries(manifestPath!) ?? []);
        var training = TrainingText.Load(options.CorpusFiles, options.CorpusDir, manifest, manifestPath, log);
        CorpusIndex? index = training is null ? null : CorpusIndex.Build(training.Documents, options.MinMatch);
        if (training is null && canaries.Count == 0)
            log("no training text and no canaries: samples are ranked but none can be confirmed (pass --corpus, --corpus-dir or --manifest)");

        var duplicateOf = NearDuplicates.Find(rows.Select(r => (r.SampleIndex, r.Text)).ToList(), options.DedupThreshold);
        var unique = rows.Where(r => !duplicateOf.ContainsKey(r.SampleIndex)).ToList();
        var metrics = SweepMetric.All.Where(m => rows.Any(r => m.Value(r) is not null)).ToList();
        var ranks = metrics.ToDictionary(m => m.Name, m => m.Rank(unique));

        var ranked = rows.Select(r => Rank(r, ranks, duplicateOf, canaries, index)).ToList();
        ranked.Sort((a, b) => (a.BestRank ?? int.MaxValue).CompareTo(b.BestRank ?? int.MaxValue) is var c and not 0 ? c : a.SampleIndex.CompareTo(b.SampleIndex));

        var confirmedUnique = ranked.Where(r => r.Confirmed && r.IsDuplicateOf is null).Select(r => r.SampleIndex).ToHashSet();
        var precision = new List<PrecisionRow>();
        if (training is not null || canaries.Count > 0)
            foreach (var metric in metrics)
                foreach (int k in options.TopK)
                {
                    var top = ranks[metric.Name].Where(kv => kv.Value <= k).Select(kv => kv.Key).ToList();
                    int hits = top.Count(confirmedUnique.Contains);
                    precision.Add(new PrecisionRow
                    {
                        Metric = metric.Name, TopK = k, Samples = top.Count, ConfirmedInTopK = hits,
                        Precision = top.Count == 0 ? double.NaN : (double)hits / top.Count,
                    });
                }

        var now = DateTime.UtcNow;
        string partial = completeness is { Complete: false } ? string.Create(CultureInfo.InvariantCulture, $" (partial sweep: {rows.Count:N0} of {expected:N0} samples merged)") : "";
        var findings = ranked.Where(r => r.Confirmed && r.IsDuplicateOf is null)
            .Select(r => ToFinding(r, rows.Count, duplicateOf.Count(d => d.Value == r.SampleIndex), now, partial)).ToList();

        await ParquetTable<RankedSampleRow>.WriteAsync(Path.Combine(options.SweepDir, SweepMergeResult.RankedFile), ranked, ct).ConfigureAwait(false);
        await ParquetTable<PrecisionRow>.WriteAsync(Path.Combine(options.SweepDir, SweepMergeResult.PrecisionFile), precision, ct).ConfigureAwait(false);
        await FindingsTable.WriteAsync(Path.Combine(options.SweepDir, FindingsTable.FileName), findings, ct).ConfigureAwait(false);
        MergeRecord.From(info, completeness, rows.Count, read.Parts.Count, read.Skipped.Count, now).Write(Path.Combine(options.SweepDir, MergeRecord.FileName));
        return new SweepMergeResult(options.SweepDir, info, ranked, precision, findings, read.Parts.Count, read.Skipped,
            expected, repeated, duplicateOf.Count, training?.Description, canaries.Count, completeness);
    }

    static RankedSampleRow Rank(SweepSampleRow r, Dictionary<string, Dictionary<long, int>> ranks,
        IReadOnlyDictionary<long, long> duplicateOf, CanaryMatch canaries, CorpusIndex? index)
    {
        int? RankOf(SweepMetric m) => ranks.TryGetValue(m.Name, out var byIndex) && byIndex.TryGetValue(r.SampleIndex, out int k) ? k : null;
        int?[] all = [RankOf(SweepMetric.LogPerplexity), RankOf(SweepMetric.Zlib), RankOf(SweepMetric.Lowercase), RankOf(SweepMetric.Window), RankOf(SweepMetric.Reference)];
        var canary = canaries.Find(r.Text);
        var verbatim = index?.LongestMatch(r.Text);
        return new RankedSampleRow
        {
            SampleIndex = r.SampleIndex,
            Shard = r.Shard,
            Prompt = r.Prompt,
            Text = r.Text,
            LogPerplexity = r.LogPerplexity,
            ZlibRatio = r.ZlibRatio,
            LowercaseRatio = r.LowercaseRatio,
            WindowMinLogPerplexity = r.WindowMinLogPerplexity,
            ReferenceRatio = r.ReferenceRatio,
            RankLogPerplexity = all[0],
            RankZlibRatio = all[1],
            RankLowercaseRatio = all[2],
            RankWindowMinLogPerplexity = all[3],
            RankReferenceRatio = all[4],
            BestRank = all.Where(x => x is not null).Min(),
            IsDuplicateOf = duplicateOf.TryGetValue(r.SampleIndex, out long of) ? of : null,
            Confirmed = canary is not null || verbatim is not null,
            ConfirmedBy = canary is not null ? "canary" : verbatim is not null ? "corpus" : null,
            CanaryId = canary?.Canary.Id,
            CanaryInContext = canary?.InContext,
            MatchedText = canary is { } c ? c.Matched : verbatim?.Text,
            MatchLength = verbatim?.Length ?? 0,
        };
    }

    static Finding ToFinding(RankedSampleRow r, int samples, int copies, DateTime now, string partial)
    {
        var c = CultureInfo.InvariantCulture;
        string ranks = string.Join(", ", new (string, int?)[]
            {
                ("perplexity", r.RankLogPerplexity), ("zlib", r.RankZlibRatio), ("lowercase", r.RankLowercaseRatio),
                ("window", r.RankWindowMinLogPerplexity), ("reference", r.RankReferenceRatio),
            }.Where(x => x.Item2 is not null).Select(x => $"{x.Item1} #{x.Item2}"));
        string again = copies > 0 ? string.Create(c, $"; generated {copies + 1} times (near-duplicates)") : "";
        bool isCanary = r.ConfirmedBy == "canary";
        return new Finding
        {
            Probe = Probe,
            Subject = string.Create(c, $"sample-{r.SampleIndex}"),
            Severity = isCanary ? Severity.Critical : Severity.High,
            Score = isCanary ? 1 : r.MatchLength,
            ScoreName = isCanary ? "canary_extracted" : "verbatim_match_chars",
            MaxScore = isCanary ? 1 : r.Text.Length,
            Evidence = isCanary
                ? string.Create(c, $"sample {r.SampleIndex} of {samples:N0} generated samples contains canary {r.CanaryId}'s secret {(r.CanaryInContext == true ? "after its template" : "verbatim, without its template's words before it")}; ranks: {ranks}{again}{partial}")
                : string.Create(c, $"sample {r.SampleIndex} of {samples:N0} reproduces {r.MatchLength} chars of the training text verbatim; ranks: {ranks}{again}{partial}"),
            Secret = r.MatchedText,
            Rank = r.BestRank,
            Queries = samples,
            CreatedUtc = now,
        };
    }

    static (ModelManifest?, string?) LoadManifest(string? path, bool explicitPath, Action<string> log)
    {
        if (path is null) return (null, null);
        if (!File.Exists(path))
        {
            if (explicitPath) throw new MemScanException($"manifest {path} does not exist");
            log($"the model's manifest {path} (from sweep.json) is gone: no canaries or training corpus from it");
            return (null, null);
        }
        return (ModelManifest.Load(path), path);
    }
}
