using System.Diagnostics;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Models;
using MemScan.Scanner.Onnx;
using MemScan.Scanner.Probes;
using MemScan.Scanner.Probes.Vision;
using MemScan.Scanner.Results;
using MemScan.Scanner.Scanning;

namespace MemScan.Scanner.Vision;

/// <summary>
/// Runs the vision probes a plan asks for against one ONNX classifier and writes the run folder:
/// run.json (running), each probe's tables and plots, findings.parquet, then complete. With a
/// MemScan manifest the examples (members, non-members, canaries) and the reference models beside
/// the target drive membership inference, the canary audit and memorization scores; a foreign model
/// (profile JSON, or a graph simple enough to guess) gets prediction statistics only.
/// </summary>
public static class VisionScan
{
    public static VisionScanResult Run(VisionScanPlan plan, Action<string>? log = null)
    {
        log ??= _ => { };
        var total = Stopwatch.StartNew();
        ScanRun.CheckBeforeModel(plan.RunsRoot, plan.RunId, plan.Resume);
        InputFile.Require(plan.ModelPath, "ONNX model");
        string? manifestPath = plan.ManifestPath ?? ModelManifest.PathFor(plan.ModelPath);
        if (plan.ManifestPath is not null) InputFile.Require(manifestPath, "manifest");
        if (!File.Exists(manifestPath)) manifestPath = null;
        var manifest = manifestPath is null ? null : ModelManifest.Load(manifestPath);
        if (manifest is not null && manifest.Kind != "classifier")
            throw new MemScanException($"{manifestPath} describes a {manifest.Kind}; 'memscan vision' probes classifiers (use 'memscan scan')");
        var notes = new List<string>();

        ClassifierProfile profile;
        if (plan.ProfilePath is not null) profile = ClassifierProfile.Load(plan.ProfilePath);
        else if (manifest?.Classifier is { } spec) profile = ClassifierProfile.FromManifest(spec, Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(plan.ModelPath))) ?? "model");
        else
        {
            profile = Guess(plan.ModelPath);
            notes.Add($"no manifest or profile: guessed input '{profile.Input}' {profile.Channels}×{profile.Height}×{profile.Width}, output '{profile.Output}', " +
                      "no normalization (pass --profile to set mean/std and class names)");
        }
        bool foreign = manifest is null;
        // Examples with known membership: --examples or the manifest's examples.parquet
        string? examplesPath = plan.ExamplesPath is { } given ? Path.GetFullPath(given)
            : manifest?.ExamplesFile is { } ef ? ModelManifest.ResolveFile(manifestPath!, ef, "examples file") : null;

        var context = new VisionProbeContext
        {
            ExamplesPath = examplesPath,
            UseReferences = !plan.NoReferences,
            EmbeddingOutput = plan.AddEmbeddingOutput,
            Images = plan.Images,
            LabelsPath = plan.LabelsPath,
            MaxImages = plan.MaxImages,
            Membership = plan.Membership,
            Audit = plan.Audit,
            Memorization = plan.Memorization,
            Log = log,
        };
        var membership = new MembershipScanProbe();
        var audit = new CanaryAuditScanProbe();
        var memorization = new MemorizationScanProbe();
        var predictions = new PredictionStatsScanProbe();
        ScanProbe<VisionProbeContext>[] all = [membership, audit, memorization, predictions];

        var started = DateTime.UtcNow;
        var info = new RunInfo
        {
            RunId = plan.RunId ?? RunFolder.NewRunId(plan.ModelPath, started),
            ToolVersion = typeof(VisionScan).Assembly.GetName().Version?.ToString() ?? "0",
            StartedUtc = started,
            ModelPath = Path.GetFullPath(plan.ModelPath),
            ModelSha256 = RunInfo.ComputeSha256(plan.ModelPath),
            ModelKind = "classifier",
            ManifestPath = manifestPath,
            // every probe asked for, whether or not its inputs let it run: what decides the results and so whether --resume may continue
            Probes = all.Where(p => plan.Wants(p.Name)).ToDictionary(p => p.Name, p => p.Settings(context)),
            Inputs = InputFingerprints.Of(("manifest", manifestPath), ("profile", plan.ProfilePath), ("examples", examplesPath),
                ("labels", plan.LabelsPath)),
            Device = plan.Device.ToString().ToLowerInvariant(),
            CommandLine = plan.CommandLine,
        };
        // Locked until the scan ends, so that no second process resumes this run while it is written.
        using var scan = ScanRun.Start(plan.RunsRoot, info, plan.Resume, log);
        var run = scan.Folder;
        try
        {
            string modelPath = plan.ModelPath;
            if (plan.AddEmbeddingOutput is { } tensor)
            {
                var modelInfo = OnnxModelInfo.Load(modelPath);
                // Models with external weights must be edited next to them; others go into the run folder, leaving the user's files alone.
                string edited = modelInfo.HasExternalData
                    ? Path.Combine(Path.GetDirectoryName(modelInfo.Path)!, $".memscan-{run.RunId}-{Path.GetFileName(modelPath)}")
                    : Path.Combine(run.Path, "model-with-embedding.onnx");
                OnnxGraphEditor.AddOutput(modelPath, tensor, edited);
                modelPath = edited;
                profile = profile with { Embedding = tensor };
                log($"exposed tensor '{tensor}' as the embedding output ({edited})");
            }
            var options = new OnnxSessionOptions { Device = plan.Device, IntraOpThreads = plan.Threads };
            using var model = OnnxClassifier.Open(modelPath, profile, options);
            model.MaxBatch = plan.Batch;
            long queries = 0;

            ExampleSet? examples = null;
            int referenceCount = 0;
            Lazy<FamilyPredictions>? family = null;
            if (examplesPath is not null && (plan.Wants(MembershipProbe.Name) || plan.Wants(CanaryAuditProbe.Name) || plan.Wants(MemorizationProbe.Name)))
            {
                var loaded = ExampleSet.Load(examplesPath, model.Channels, model.Height, model.Width);
                var references = plan.NoReferences ? ModelFamily.Empty : ModelFamily.Load(Path.GetDirectoryName(examplesPath)!, loaded);
                examples = loaded;
                referenceCount = references.References.Count;
                // The family's predictions feed the three example probes: made when the first that runs prepares, skipped when all are read back.
                family = new Lazy<FamilyPredictions>(() =>
                {
                    bool[] targetMembers = loaded.Rows.Select(r => r.Role == ExampleRow.Member || (r.Role == ExampleRow.Canary && r.Included)).ToArray();
                    log($"{loaded.Rows.Count} examples ({targetMembers.Count(m => m)} trained on), {references.References.Count} reference models");
                    var inference = Stopwatch.StartNew();
                    var target = new ModelPredictions("target", model.Run(loaded.Images.Pixels, loaded.Rows.Count, withEmbedding: true), targetMembers);
                    var predicted = new List<ModelPredictions>();
                    foreach (var (name, path, refProfile) in references.References)
                    {
                        using var reference = OnnxClassifier.Open(path, (refProfile ?? profile) with { Embedding = null }, options);
                        reference.MaxBatch = plan.Batch;
                        predicted.Add(new ModelPredictions(name, reference.Run(loaded.Images.Pixels, loaded.Rows.Count), references.Membership[name]));
                        queries += reference.Queries;
                    }
                    scan.Time("inference", inference.Elapsed.TotalSeconds);
                    return new FamilyPredictions(target, predicted);
                });
            }
            else if (examplesPath is null && plan.Probes.Any(p => p != PredictionStatsProbe.Name))
                notes.Add("membership inference, canary audit and memorization need examples with known membership (a MemScan manifest's examples.parquet or --examples)");

            context = context with
            {
                Model = model,
                Profile = profile,
                Examples = examples,
                Family = family,
                ClaimedEpsilon = manifest?.Hyper.TryGetValue("dp_epsilon", out double e) == true ? e : null,
                TrainingMode = manifest?.Training.Mode ?? "",
                ImagesSpec = ImagesFor(plan, profile, examplesPath),
            };
            var findings = new List<Finding>();
            var probes = ProbeLoop.Applicable(all, plan.Wants, context, notes);
            ProbeLoop.Run(probes, context, scan, findings, notes);
            if (foreign) notes.Add("foreign model: membership cannot be judged without known members; only prediction statistics are reported");
            if (findings.Count == 0) throw new MemScanException("nothing to scan: no examples with membership and no --images for the chosen probes");

            scan.Complete(findings);
            queries += model.Queries;
            return new VisionScanResult(run, profile, foreign, referenceCount, findings, membership.Result, audit.Result, memorization.Result,
                predictions.Result, notes, queries, total.Elapsed.TotalSeconds, model.DeviceNote);
        }
        catch (Exception e)
        {
            scan.Fail(e);
            throw;
        }
    }

    /// <summary>The images of the prediction statistics: --images, or for a model without examples the profile's default (Fashion-MNIST when it names none).</summary>
    static string? ImagesFor(VisionScanPlan plan, ClassifierProfile profile, string? examplesPath) =>
        plan.Images ?? (examplesPath is null ? profile.DefaultImages ?? Corpora.CorpusPaths.FashionMnist : null);

    /// <summary>A profile from the graph alone: one float [batch, C, H, W] input with fixed C, H, W and one [batch, K] output.</summary>
    public static ClassifierProfile Guess(string modelPath)
    {
        var info = OnnxModelInfo.Load(modelPath);
        string Describe() => $"inputs are {string.Join(", ", info.Inputs)}; outputs are {string.Join(", ", info.Outputs)}";
        var images = info.Inputs.Where(i => i.ElementType == OnnxElementType.Float && i.Dims is { Count: 4 } d && d.Skip(1).All(x => x.IsFixed)).ToList();
        var outputs = info.Outputs.Where(o => o.Dims is { Count: 2 }).ToList();
        if (info.Inputs.Count != 1 || images.Count != 1 || outputs.Count == 0)
            throw new MemScanException($"{modelPath} is not an image classifier MemScan can drive without a profile " +
                                       $"(expected one float [batch, C, H, W] input with fixed C, H, W and a [batch, classes] output); {Describe()}; pass --profile");
        var dims = images[0].Dims!;
        int c = (int)dims[1].Value!.Value;
        if (c is not (1 or 3)) throw new MemScanException($"{modelPath}: input {images[0]} has {c} channels; MemScan feeds 1 or 3 (pass --profile)");
        return new ClassifierProfile
        {
            Name = Path.GetFileNameWithoutExtension(modelPath),
            Input = images[0].Name,
            Output = outputs[0].Name,
            Channels = c,
            Height = (int)dims[2].Value!.Value,
            Width = (int)dims[3].Value!.Value,
        };
    }
}
