using System.Diagnostics;
using System.Globalization;
using MemScan.Scanner.Canaries;
using MemScan.Scanner.Folders;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Models;
using MemScan.Scanner.Onnx;
using MemScan.Scanner.Plots;
using MemScan.Scanner.Probes.Discoverable;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Probes.Extraction;
using MemScan.Scanner.Probes.GreedySecret;
using MemScan.Scanner.Probes.Membership;
using MemScan.Scanner.Results;
using MemScan.Scanner.Tokenizers;

namespace MemScan.Scanner.Scanning;

public sealed record LmScanResult(
    RunFolder Run,
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<CanaryExposure> Exposure,
    IReadOnlyList<ExtractionResult> Extraction,
    IReadOnlyList<DiscoverableRate> Discoverable,
    long Queries,
    double Seconds,
    string Device)
{
    /// <summary>Membership inference: one summary per attack (empty when the probe did not run).</summary>
    public IReadOnlyList<MemScan.Scanner.Metrics.MiaSummary> Mia { get; init; } = [];

    /// <summary>Greedy completions of the canaries' secrets (empty when the probe did not run).</summary>
    public IReadOnlyList<GreedySecretRow> GreedySecret { get; init; } = [];
}

/// <summary>
/// Runs the language-model probes a plan asks for against one ONNX model and writes the run
/// folder: run.json first (status running), each probe's table, findings.parquet, then complete.
/// </summary>
public static class LmScan
{
    public static LmScanResult Run(LmScanPlan plan, Action<string>? log = null) => Run(plan, log, CandidateTries.For);

    /// <param name="buildTree">Builds a canary's candidate tree; tests pass one that counts the builds.</param>
    internal static LmScanResult Run(LmScanPlan plan, Action<string>? log, CanaryTreeCache.Builder buildTree)
    {
        log ??= _ => { };
        ScanRun.CheckBeforeModel(plan.RunsRoot, plan.RunId, plan.Resume);
        // A folder as published: its model file(s), config.json and tokenizer are read as one model.
        var folder = Directory.Exists(plan.ModelPath) ? ModelFolder.Load(plan.ModelPath) : null;
        if (folder is null) InputFile.Require(plan.ModelPath, "ONNX model");
        string modelFile = folder?.ModelPath ?? plan.ModelPath;
        string? manifestPath = plan.ManifestPath ?? ModelManifest.PathFor(modelFile);
        if (plan.ManifestPath is not null) InputFile.Require(manifestPath, "manifest");
        if (!File.Exists(manifestPath)) manifestPath = null;
        if (manifestPath is null && plan.Tokenizer is null && folder?.TokenizerSpec is null)
        {
            // Look at the graph first: a vision model deserves "not a language model", not "no manifest".
            using (Open(plan, plan.ProfilePath is null ? null : LmProfile.Load(plan.ProfilePath))) { }
            throw new MemScanException($"model {plan.ModelPath} has no manifest ({ModelManifest.PathFor(modelFile)}){(folder is null ? "" : " and its folder no tokenizer (tokenizer.json, vocab.json + merges.txt, tokenizer.model, vocab.txt)")}: " +
                                       "pass --manifest, or --tokenizer with --canary/--space (or --samples-file) to scan a third-party model");
        }
        var manifest = manifestPath is null ? null : ModelManifest.Load(manifestPath);
        if (manifest is not null && manifest.Kind != "language-model")
            throw new MemScanException($"{manifestPath} describes a {manifest.Kind}; 'memscan scan' probes language models");

        var io = plan.ProfilePath is null ? manifest?.Io : LmProfile.Load(plan.ProfilePath);
        using var model = Open(plan, io);
        model.MaxBatch = plan.Exposure.Batch > 0 ? plan.Exposure.Batch : BatchPlanner.ForVocabulary(model.VocabSize);
        var tokenizer = TokenizerSelection.For(manifest, manifestPath, plan.Tokenizer, folder?.TokenizerSpec);
        if (folder is not null)
            log($"model folder: {folder.Layout}, {Path.GetRelativePath(folder.Dir, folder.ModelPath)}" +
                (plan.Tokenizer is null && manifest?.Tokenizer is null && folder.TokenizerSource is { } source ? $"; tokenizer from {source}" : ""));
        if (TokenizerCompatibility.CheckVocabulary(tokenizer, model.VocabSize) is { } warning) log(warning);
        if (model.MaxSequenceLength is { } context) log($"model context: {context} tokens{model.ContextNote}");

        var canaries = (manifest?.LoadCanaries(manifestPath!) ?? []).Concat(plan.ExtraCanaries).ToList();
        var withSecret = canaries.Where(c => c.HasSecret).ToList();
        var samples = LoadSamples(plan, manifest, manifestPath);
        bool runExposure = plan.Wants(ExposureProbe.Name) && withSecret.Count > 0;
        bool runExtraction = plan.Wants(ExtractionProbe.Name) && canaries.Count > 0;
        bool runDiscoverable = plan.Wants(DiscoverableProbe.Name) && samples.Count > 0;
        bool runMia = MiaWanted(plan, manifest);
        // opt-in: only when named in --probes
        bool runGreedy = plan.Probes.Contains(GreedySecretProbe.Name) && withSecret.Count > 0;
        if (!runExposure && !runExtraction && !runDiscoverable && !runMia && !runGreedy)
            throw new MemScanException("nothing to scan: no canaries (manifest or --canary) and no samples (manifest or --samples-file) for the chosen probes");

        var started = DateTime.UtcNow;
        var info = new RunInfo
        {
            RunId = plan.RunId ?? RunFolder.NewRunId(plan.ModelPath, started),
            ToolVersion = typeof(LmScan).Assembly.GetName().Version?.ToString() ?? "0",
            StartedUtc = started,
            ModelPath = Path.GetFullPath(plan.ModelPath),
            ModelSha256 = RunInfo.ComputeSha256(modelFile),
            ModelKind = "language-model",
            ManifestPath = manifestPath,
            Probes = ProbeSettings(plan, runExposure, runExtraction, runDiscoverable, runMia, runGreedy, model.MaxSequenceLength),
            Inputs = InputFingerprints.Of(("manifest", manifestPath), ("profile", plan.ProfilePath), ("samples_file", plan.SamplesFile),
                ("manifest_members", ManifestSampleFile(manifest, manifestPath, s => s.Members)),
                ("manifest_non_members", ManifestSampleFile(manifest, manifestPath, s => s.NonMembers)),
                ("members", plan.Mia.MembersFile), ("non_members", plan.Mia.NonMembersFile)),
            Device = model.DeviceNote,
            CommandLine = plan.CommandLine,
        };
        // Locked until the scan ends, so that no second process resumes this run while it is written.
        using var scan = ScanRun.Start(plan.RunsRoot, info, plan.Resume, log);
        var run = scan.Folder;
        var done = scan.Done;
        // Every tree use announced up front: a subword tree that both probes walk is built once and
        // let go after its last use; the using lets go of the rest when the scan ends or fails.
        using var trees = new CanaryTreeCache(tokenizer, buildTree);
        if (runExposure && !done.Contains(ExposureProbe.Name)) withSecret.ForEach(trees.ExpectUse);
        if (runExtraction && !done.Contains(ExtractionProbe.Name)) canaries.ForEach(trees.ExpectUse);
        try
        {
            var total = Stopwatch.StartNew();
            var findings = new List<Finding>();
            var exposure = new List<CanaryExposure>();
            var extraction = new List<ExtractionResult>();
            IReadOnlyList<DiscoverableRate> rates = [];
            MiaResult? mia = null;
            IReadOnlyList<MemScan.Scanner.Metrics.MiaSummary> miaSummaries = [];
            IReadOnlyList<GreedySecretRow> greedy = [];

            if (runExposure && done.Contains(ExposureProbe.Name))
            {
                exposure.AddRange(done.Exposure());
                findings.AddRange(done.FindingsOf(ExposureProbe.Name));
            }
            else if (runExposure)
            {
                var watch = Stopwatch.StartNew();
                var probe = new ExposureProbe(model, trees, plan.Exposure);
                var exposureSamples = new List<ExposureSample>();
                foreach (var canary in withSecret)
                {
                    log($"exposure of {canary.Id} ({canary.Space}, {canary.Space.Size:N0} candidates)");
                    exposure.Add(probe.Measure(canary, samples: exposureSamples));
                }
                Write<CanaryExposure>(run, exposure);
                ExposureHistogramPlot.Save(Path.Combine(run.Path, ExposureProbe.HistogramFile),
                    exposure.Select(e => e.ExposureBits).ToArray(), exposure.Max(e => e.Log2Space));
                if (exposureSamples.Count > 0) Write<ExposureSample>(run, exposureSamples);
                findings.AddRange(exposure.Select(ExposureProbe.ToFinding));
                scan.ProbeComplete(ExposureProbe.Name, watch.Elapsed.TotalSeconds, findings);
            }
            if (runExtraction && done.Contains(ExtractionProbe.Name))
            {
                extraction.AddRange(done.Extraction(canaries));
                findings.AddRange(done.FindingsOf(ExtractionProbe.Name));
            }
            else if (runExtraction)
            {
                var watch = Stopwatch.StartNew();
                var probe = new ExtractionProbe(model, trees, plan.Extraction);
                foreach (var canary in canaries)
                {
                    log($"extraction for {canary.Id} (budget {plan.Extraction.MaxQueries:N0} model rows)");
                    extraction.Add(probe.Extract(canary));
                }
                Write<ExtractionRow>(run, extraction.SelectMany(e => e.Rows));
                findings.AddRange(extraction.Select(ExtractionProbe.ToFinding));
                scan.ProbeComplete(ExtractionProbe.Name, watch.Elapsed.TotalSeconds, findings);
            }
            if (runDiscoverable && done.Contains(DiscoverableProbe.Name))
            {
                rates = done.Discoverable(plan.Discoverable);
                findings.AddRange(done.FindingsOf(DiscoverableProbe.Name));
            }
            else if (runDiscoverable)
            {
                var watch = Stopwatch.StartNew();
                log($"discoverable memorization on {Math.Min(samples.Count, plan.Discoverable.MaxSamples)} training samples");
                var (rows, found) = new DiscoverableProbe(model, tokenizer, plan.Discoverable, log).Run(samples);
                rates = found;
                Write<DiscoverableRow>(run, rows);
                findings.AddRange(DiscoverableProbe.ToFindings(found, rows));
                scan.ProbeComplete(DiscoverableProbe.Name, watch.Elapsed.TotalSeconds, findings);
            }
            if (runMia && done.Contains(MiaProbe.Name))
            {
                miaSummaries = done.Mia();
                findings.AddRange(done.FindingsOf(MiaProbe.Name));
            }
            else if (runMia)
            {
                var watch = Stopwatch.StartNew();
                mia = new MiaProbe(model, tokenizer, plan.Mia, (path, io) => Open(plan with { ModelPath = path }, io), log)
                    .Run(plan.ModelPath, manifest, manifestPath);
                MiaProbe.Write(run, mia);
                findings.AddRange(mia.Findings);
                miaSummaries = mia.Summaries;
                scan.ProbeComplete(MiaProbe.Name, watch.Elapsed.TotalSeconds, findings);
            }
            if (runGreedy && done.Contains(GreedySecretProbe.Name))
            {
                greedy = done.Rows<GreedySecretRow>(GreedySecretProbe.Name);
                findings.AddRange(done.FindingsOf(GreedySecretProbe.Name));
            }
            else if (runGreedy)
            {
                var watch = Stopwatch.StartNew();
                log($"greedy decoding of {withSecret.Count} canary secrets after their prefixes");
                greedy = new GreedySecretProbe(model, tokenizer).Run(withSecret);
                Write<GreedySecretRow>(run, greedy);
                findings.AddRange(greedy.Select(GreedySecretProbe.ToFinding));
                scan.ProbeComplete(GreedySecretProbe.Name, watch.Elapsed.TotalSeconds, findings);
            }
            scan.Complete(findings);
            return new LmScanResult(run, findings, exposure, extraction, rates, model.Queries + (mia?.ReferenceQueries ?? 0),
                total.Elapsed.TotalSeconds, model.DeviceNote) { Mia = miaSummaries, GreedySecret = greedy };
        }
        catch (Exception e)
        {
            scan.Fail(e);
            throw;
        }
    }

    /// <summary>
    /// Named in --probes: runs, and says what is missing when it cannot. By default (no --probes):
    /// runs when membership inputs were set up on purpose (sample files, --reference, the family's
    /// membership.parquet), not merely because the manifest lists the discoverable probe's samples.
    /// </summary>
    static bool MiaWanted(LmScanPlan plan, ModelManifest? manifest)
    {
        if (plan.Probes.Contains(MiaProbe.Name))
        {
            if (!MiaProbe.HasInputs(plan.ModelPath, manifest, plan.Mia))
                throw new MemScanException("the mia probe needs members and non-members: pass --members and --non-members, " +
                                           $"or scan a model whose manifest names both sample files or whose folder holds {MembershipRow.FileName}");
            return true;
        }
        return plan.Probes.Count == 0 && (plan.Mia.MembersFile is not null || plan.Mia.References.Count > 0 ||
                                          File.Exists(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(plan.ModelPath))!, MembershipRow.FileName)));
    }

    static OnnxSessionOptions SessionOptions(LmScanPlan plan) => new() { Device = plan.Device, IntraOpThreads = plan.Threads };

    /// <summary>Third-party models are untrusted: by default they run in a child process.</summary>
    static LanguageModel Open(LmScanPlan plan, LmIoSpec? io) => plan.Isolate
        ? Isolation.IsolatedLanguageModel.Open(plan.ModelPath, io, SessionOptions(plan))
        : OnnxLanguageModel.Open(plan.ModelPath, io, SessionOptions(plan));

    /// <summary>A sample file the manifest names, resolved beside it; null when there is none.</summary>
    static string? ManifestSampleFile(ModelManifest? manifest, string? manifestPath, Func<SampleFiles, string?> which) =>
        manifest?.Samples is { } files && which(files) is { } relative ? ModelManifest.ResolveFile(manifestPath!, relative, "sample file") : null;

    static IReadOnlyList<string> LoadSamples(LmScanPlan plan, ModelManifest? manifest, string? manifestPath)
    {
        if (plan.SamplesFile is not null)
            return SampleFile.Read(plan.SamplesFile);
        if (manifest?.Samples?.Members is { } members)
            return SampleFile.Read(ModelManifest.ResolveFile(manifestPath!, members, "member samples"), "member samples");
        return [];
    }

    static void Write<T>(RunFolder run, IEnumerable<T> rows) where T : class, IParquetRow, new() =>
        ParquetTable<T>.WriteAsync(run.TablePath(T.TableName), rows).GetAwaiter().GetResult();

    static Dictionary<string, IReadOnlyDictionary<string, string>> ProbeSettings(LmScanPlan p, bool exposure, bool extraction, bool discoverable, bool mia, bool greedy, int? context)
    {
        var c = CultureInfo.InvariantCulture;
        var result = new Dictionary<string, IReadOnlyDictionary<string, string>>();
        if (exposure)
            result[ExposureProbe.Name] = new Dictionary<string, string>
            {
                ["exact_limit"] = p.Exposure.ExactLimit.ToString("G", c),
                ["exact_budget"] = p.Exposure.ExactBudget.ToString(c),
                ["samples"] = p.Exposure.ExtrapolationSamples.ToString(c),
                ["batch"] = p.Exposure.Batch.ToString(c),
                ["seed"] = p.Exposure.Seed.ToString(c),
            };
        if (extraction)
            result[ExtractionProbe.Name] = new Dictionary<string, string>
            {
                ["top_k"] = p.Extraction.TopK.ToString(c),
                ["max_queries"] = p.Extraction.MaxQueries.ToString(c),
                ["background_samples"] = p.Extraction.BackgroundSamples.ToString(c),
                ["seed"] = p.Extraction.Seed.ToString(c),
            };
        if (discoverable)
            result[DiscoverableProbe.Name] = new Dictionary<string, string>
            {
                ["prefix_lengths"] = string.Join(",", p.Discoverable.PrefixLengths),
                ["suffix_tokens"] = p.Discoverable.SuffixTokens.ToString(c),
                ["max_samples"] = p.Discoverable.MaxSamples.ToString(c),
            };
        if (mia) result[MiaProbe.Name] = MiaProbe.Describe(p.Mia, context);
        // greedy decoding has no settings: the canaries (fingerprinted with the manifest) fix its rows
        if (greedy) result[GreedySecretProbe.Name] = new Dictionary<string, string>();
        return result;
    }
}
