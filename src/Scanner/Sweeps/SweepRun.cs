using MemScan.Scanner.Folders;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Models;
using MemScan.Scanner.Onnx;
using MemScan.Scanner.Results;
using MemScan.Scanner.Scanning;
using MemScan.Scanner.Tokenizers;

namespace MemScan.Scanner.Sweeps;

/// <summary>The outcome of one shard run: where the sweep is, what sweep.json says, what was written.</summary>
/// <param name="LargestRunBytes">The most bytes one model run of the sweep took, as --memory-budget counts them (<see cref="Models.LanguageModel.LargestRunBytes"/>; the host's for an isolated model).</param>
public sealed record SweepRunResult(string SweepDir, SweepInfo Info, SweepShardResult Shard, string Device, long LargestRunBytes);

/// <summary>
/// One <c>memscan sweep</c> process: opens the target (and reference) model, writes or checks
/// sweep.json, then runs its shard with <see cref="SweepShardRunner"/>.
/// </summary>
public static class SweepRun
{
    public static async Task<SweepRunResult> RunAsync(SweepPlan plan, Action<string>? log = null,
        Action<SweepProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        log ??= _ => { };
        plan.Settings.Validate();
        if (plan.MaxParts is <= 0) throw new MemScanException($"--max-parts must be > 0, got {plan.MaxParts}");
        int shards = plan.Shards ?? plan.Shard.Count;
        if (shards != plan.Shard.Count) throw new MemScanException($"shard {plan.Shard} does not belong to a sweep of {shards} shards");

        // cheap checks first: a typo in --sweeps or --sweep-id is one line before any model loads
        RunFolder.CheckRunsRoot(plan.SweepsRoot, "--sweeps");
        if (plan.SweepId is { } givenId) RunFolder.ValidateRunId(givenId);
        var (manifest, manifestPath, folder) = LoadManifest(plan.ModelPath, plan.ManifestPath, plan.Tokenizer, "model");
        var options = new OnnxSessionOptions { Device = plan.Device, IntraOpThreads = plan.Threads };
        using var model = OpenModel(plan, plan.ModelPath, manifest?.Io, options);
        model.MaxBatch = Math.Max(plan.Settings.Batch, 1);
        ITextTokenizer tokenizer = TokenizerSelection.For(manifest, manifestPath, plan.Tokenizer, folder?.TokenizerSpec);
        if (TokenizerCompatibility.CheckVocabulary(tokenizer, model.VocabSize) is { } warning) log(warning);

        using ReferenceModel? reference = plan.ReferencePath is null ? null : OpenReference(plan, options);
        PromptSource prompts = plan.Settings.PromptFile is { } file
            ? PromptSource.FromFile(file, plan.Settings.PromptTokens, tokenizer)
            : PromptSource.Start(plan.Settings.StartText, tokenizer);
        SweepContext.Check(model, prompts, plan.Settings);
        if (reference?.Context is { } referenceContext && referenceContext < prompts.MaxTokens + plan.Settings.Tokens)
            log($"the reference's context is {referenceContext} tokens: samples that pass it under the reference's tokenizer get no reference ratio (NaN)");

        var info = new SweepInfo
        {
            ToolVersion = typeof(SweepRun).Assembly.GetName().Version?.ToString() ?? "0",
            ModelPath = Path.GetFullPath(plan.ModelPath),
            ModelSha256 = RunInfo.ComputeSha256(folder?.ModelPath ?? plan.ModelPath),
            ManifestPath = manifestPath,
            Tokenizer = tokenizer.Describe(),
            ReferencePath = plan.ReferencePath is null ? null : Path.GetFullPath(plan.ReferencePath),
            ReferenceSha256 = plan.ReferencePath is null ? null : RunInfo.ComputeSha256(plan.ReferencePath),
            Prompts = prompts.Description,
            PromptsSha256 = prompts.Sha256,
            Shards = shards,
            Settings = plan.Settings.ToFields(),
        };
        string sweepId = plan.SweepId ?? info.DefaultSweepId(plan.ModelPath);
        RunFolder.ValidateRunId(sweepId);
        info = info with { SweepId = sweepId };
        string sweepDir = Path.Combine(plan.SweepsRoot, sweepId);
        info.CreateOrCheck(sweepDir);

        var runner = new SweepShardRunner(
            new SweepGenerator(model, prompts, plan.Settings),
            new SampleScorer(model, tokenizer, plan.Settings.Window, reference),
            plan.Settings);
        var result = await runner.RunAsync(sweepDir, plan.Shard, plan.MaxParts, progress, cancellationToken).ConfigureAwait(false);
        if (result.StaleTempFilesRemoved > 0)
            log($"shard {plan.Shard}: removed {result.StaleTempFilesRemoved} unfinished part(s) left by an interrupted run");
        // An isolated model's runs are the host's (its parent counts only the requests it sends).
        long largestRun = model is Isolation.IsolatedLanguageModel isolated ? isolated.HostLargestRunBytes : model.LargestRunBytes;
        return new SweepRunResult(sweepDir, info, result, model.DeviceNote, largestRun);
    }

    /// <summary>
    /// The manifest given, or the one beside the model, or none when a tokenizer is given; for a
    /// model folder (<see cref="ModelFolder"/>) also the folder, whose own tokenizer may serve.
    /// </summary>
    internal static (ModelManifest? Manifest, string? Path, ModelFolder? Folder) LoadManifest(string modelPath, string? manifestPath, string? tokenizer, string what)
    {
        var folder = Directory.Exists(modelPath) ? ModelFolder.Load(modelPath) : null;
        if (folder is null) InputFile.Require(modelPath, what);
        if (manifestPath is not null) InputFile.Require(manifestPath, "manifest");
        string beside = ModelManifest.PathFor(folder?.ModelPath ?? modelPath);
        string? path = manifestPath ?? (File.Exists(beside) ? beside : null);
        if (path is null && tokenizer is null && folder?.TokenizerSpec is null)
            throw new MemScanException($"{what} {modelPath} has no manifest ({beside}): pass its tokenizer ({TokenizerFactory.AcceptedCliForms})");
        var manifest = path is null ? null : ModelManifest.Load(path);
        if (manifest is not null && manifest.Kind != "language-model")
            throw new MemScanException($"{path} describes a {manifest.Kind}; sweeps sample from language models");
        return (manifest, path, folder);
    }

    /// <summary>Untrusted models run in a child process unless the plan opts out: a native crash ends the host, not the sweep.</summary>
    static LanguageModel OpenModel(SweepPlan plan, string path, LmIoSpec? io, OnnxSessionOptions options) =>
        Scanning.BudgetedModels.Open(path, io, options, plan.Isolate, plan.MemoryBudget);

    static ReferenceModel OpenReference(SweepPlan plan, OnnxSessionOptions options)
    {
        var (manifest, path, folder) = LoadManifest(plan.ReferencePath!, null, plan.ReferenceTokenizer, "reference model");
        var model = OpenModel(plan, plan.ReferencePath!, manifest?.Io, options);
        try
        {
            model.MaxBatch = Math.Max(plan.Settings.Batch, 1);
            return new ReferenceModel(model, TokenizerSelection.For(manifest, path, plan.ReferenceTokenizer, folder?.TokenizerSpec));
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
