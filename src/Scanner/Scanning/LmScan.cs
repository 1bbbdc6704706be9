using System.Diagnostics;
using MemScan.Scanner.Canaries;
using MemScan.Scanner.Folders;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Models;
using MemScan.Scanner.Onnx;
using MemScan.Scanner.Probes;
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
    public static LmScanResult Run(LmScanPlan plan, Action<string>? log = null) =>
        Run(plan, log, (tokenizer, canary) => CandidateTries.For(tokenizer, canary, log));

    /// <param name="buildTree">Builds a canary's candidate tree; tests pass one that counts the builds.</param>
    internal static LmScanResult Run(LmScanPlan plan, Action<string>? log, CanaryTreeCache.Builder buildTree)
    {
        log ??= _ => { };
        ScanRun.CheckBeforeModel(plan.RunsRoot, plan.RunId, plan.Resume);
        CheckSampleFilesBeforeModel(plan);
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
        if (model.MaxSequenceLength is { } window) log($"model context: {window} tokens{model.ContextNote}");

        var canaries = (manifest?.LoadCanaries(manifestPath!) ?? []).Concat(plan.ExtraCanaries).ToList();
        // Every tree use announced up front (each probe's Prepare): a subword tree that both probes
        // walk is built once and let go after its last use; the using lets go of the rest when the scan ends or fails.
        using var trees = new CanaryTreeCache(tokenizer, buildTree);
        var context = new LmProbeContext
        {
            ModelPath = plan.ModelPath,
            Manifest = manifest,
            ManifestPath = manifestPath,
            Model = model,
            Tokenizer = tokenizer,
            Trees = trees,
            Canaries = canaries,
            WithSecret = canaries.Where(c => c.HasSecret).ToList(),
            Samples = LoadSamples(plan, manifest, manifestPath),
            Requested = plan.Probes,
            Exposure = plan.Exposure,
            Extraction = plan.Extraction,
            Discoverable = plan.Discoverable,
            Mia = plan.Mia,
            OpenModel = (path, io) => Open(plan with { ModelPath = path }, io),
            Log = log,
        };
        var exposure = new ExposureScanProbe();
        var extraction = new ExtractionScanProbe();
        var discoverable = new DiscoverableScanProbe();
        var mia = new MiaScanProbe();
        var greedy = new GreedySecretScanProbe();
        var probes = ProbeLoop.Applicable([exposure, extraction, discoverable, mia, greedy], plan.Wants, context);
        if (probes.Count == 0)
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
            Probes = probes.ToDictionary(p => p.Name, p => p.Settings(context)),
            Inputs = InputFingerprints.Of(("manifest", manifestPath), ("profile", plan.ProfilePath), ("samples_file", plan.SamplesFile),
                ("manifest_members", ManifestSampleFile(manifest, manifestPath, s => s.Members)),
                ("manifest_non_members", ManifestSampleFile(manifest, manifestPath, s => s.NonMembers)),
                ("members", plan.Mia.MembersFile), ("non_members", plan.Mia.NonMembersFile)),
            Device = model.DeviceNote,
            CommandLine = plan.CommandLine,
        };
        // Locked until the scan ends, so that no second process resumes this run while it is written.
        using var scan = ScanRun.Start(plan.RunsRoot, info, plan.Resume, log);
        try
        {
            var total = Stopwatch.StartNew();
            var findings = new List<Finding>();
            ProbeLoop.Run(probes, context, scan, findings, notes: []);
            scan.Complete(findings);
            return new LmScanResult(scan.Folder, findings, exposure.Results, extraction.Results, discoverable.Rates,
                model.Queries + mia.ReferenceQueries, total.Elapsed.TotalSeconds, model.DeviceNote) { Mia = mia.Summaries, GreedySecret = greedy.Rows };
        }
        catch (Exception e)
        {
            scan.Fail(e);
            throw;
        }
    }

    static OnnxSessionOptions SessionOptions(LmScanPlan plan) => new() { Device = plan.Device, IntraOpThreads = plan.Threads };

    /// <summary>
    /// The sample files named on the command line are refused (a FIFO, a device, a directory,
    /// missing) before the model loads: a 124M model takes seconds to load, and in a fresh host.
    /// Their readers check them again, with their size limits, when they read them.
    /// </summary>
    static void CheckSampleFilesBeforeModel(LmScanPlan plan)
    {
        if (plan.SamplesFile is not null) InputFile.Require(plan.SamplesFile, "samples file");
        if (plan.Mia.MembersFile is not null) InputFile.Require(plan.Mia.MembersFile, "members file");
        if (plan.Mia.NonMembersFile is not null) InputFile.Require(plan.Mia.NonMembersFile, "non-members file");
    }

    /// <summary>Third-party models are untrusted: by default they run in a child process.</summary>
    static LanguageModel Open(LmScanPlan plan, LmIoSpec? io) =>
        BudgetedModels.Open(plan.ModelPath, io, SessionOptions(plan), plan.Isolate, plan.Exposure.MemoryBudget);

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
}
