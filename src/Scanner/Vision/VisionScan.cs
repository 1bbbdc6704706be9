using System.Diagnostics;
using System.Globalization;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Models;
using MemScan.Scanner.Onnx;
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
            Probes = Settings(plan, examplesPath),
            Inputs = InputFingerprints.Of(("manifest", manifestPath), ("profile", plan.ProfilePath), ("examples", examplesPath),
                ("labels", plan.LabelsPath)),
            Device = plan.Device.ToString().ToLowerInvariant(),
            CommandLine = plan.CommandLine,
        };
        // Locked until the scan ends, so that no second process resumes this run while it is written.
        using var scan = ScanRun.Start(plan.RunsRoot, info, plan.Resume, log);
        var run = scan.Folder;
        var done = scan.Done;
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
            var findings = new List<Finding>();
            long queries = 0;

            MembershipResult? mia = null;
            AuditResult? audit = null;
            MemorizationResult? memorization = null;
            int referenceCount = 0;
            if (examplesPath is not null && (plan.Wants(MembershipProbe.Name) || plan.Wants(CanaryAuditProbe.Name) || plan.Wants(MemorizationProbe.Name)))
            {
                var examples = ExampleSet.Load(examplesPath, model.Channels, model.Height, model.Width);
                var family = plan.NoReferences ? ModelFamily.Empty : ModelFamily.Load(Path.GetDirectoryName(examplesPath)!, examples);
                referenceCount = family.References.Count;
                bool hasPool = examples.Rows.Any(r => r.Role == ExampleRow.Member) && examples.Rows.Any(r => r.Role == ExampleRow.NonMember);
                // The audit's game needs canaries on both sides; decided from the examples alone, before any
                // inference, so a resume of a run without such canaries does not score the family again for it.
                bool auditable = examples.Rows.Any(r => r.Role == ExampleRow.Canary && r.Included) && examples.Rows.Any(r => r.Role == ExampleRow.Canary && !r.Included);
                bool runMia = plan.Wants(MembershipProbe.Name) && hasPool, runAudit = plan.Wants(CanaryAuditProbe.Name) && auditable;
                bool runMemorization = plan.Wants(MemorizationProbe.Name);
                if (plan.Wants(CanaryAuditProbe.Name) && !auditable) notes.Add(AuditSkipped);

                // The family's predictions feed all three probes; a resume whose three are read back skips them.
                ModelPredictions? target = null;
                var references = new List<ModelPredictions>();
                if ((runMia && !done.Contains(MembershipProbe.Name)) || (runAudit && !done.Contains(CanaryAuditProbe.Name)) ||
                    (runMemorization && !done.Contains(MemorizationProbe.Name)))
                {
                    bool[] targetMembers = examples.Rows.Select(r => r.Role == ExampleRow.Member || (r.Role == ExampleRow.Canary && r.Included)).ToArray();
                    log($"{examples.Rows.Count} examples ({targetMembers.Count(m => m)} trained on), {family.References.Count} reference models");
                    var inference = Stopwatch.StartNew();
                    target = new ModelPredictions("target", model.Run(examples.Images.Pixels, examples.Rows.Count, withEmbedding: true), targetMembers);
                    foreach (var (name, path, refProfile) in family.References)
                    {
                        using var reference = OnnxClassifier.Open(path, (refProfile ?? profile) with { Embedding = null }, options);
                        reference.MaxBatch = plan.Batch;
                        references.Add(new ModelPredictions(name, reference.Run(examples.Images.Pixels, examples.Rows.Count), family.Membership[name]));
                        queries += reference.Queries;
                    }
                    scan.Time("inference", inference.Elapsed.TotalSeconds);
                }

                if (runMia && done.Contains(MembershipProbe.Name))
                {
                    mia = done.Membership();
                    findings.Add(mia.Finding);
                }
                else if (runMia)
                {
                    var watch = Stopwatch.StartNew();
                    log("membership inference");
                    mia = MembershipProbe.Run(examples, target!, references, plan.Membership, run);
                    findings.Add(mia.Finding);
                    scan.ProbeComplete(MembershipProbe.Name, watch.Elapsed.TotalSeconds, findings, mia.Notes);
                }
                if (mia is not null) notes.AddRange(mia.Notes);

                if (runAudit && done.Contains(CanaryAuditProbe.Name))
                {
                    audit = done.Audit();
                    findings.Add(audit.Finding);
                }
                else if (runAudit)
                {
                    var watch = Stopwatch.StartNew();
                    log("canary audit");
                    double? claimed = manifest?.Hyper.TryGetValue("dp_epsilon", out double e) == true ? e : null;
                    audit = CanaryAuditProbe.Run(examples, target!, references, claimed, plan.Audit, run);
                    // Unreachable while the probe and `auditable` agree; kept so a disagreement is a note, not a crash.
                    if (audit is null) notes.Add(AuditSkipped);
                    else
                    {
                        findings.Add(audit.Finding);
                        scan.ProbeComplete(CanaryAuditProbe.Name, watch.Elapsed.TotalSeconds, findings);
                    }
                }

                if (runMemorization && done.Contains(MemorizationProbe.Name))
                {
                    memorization = done.Memorization();
                    findings.AddRange(memorization.Findings);
                }
                else if (runMemorization)
                {
                    var watch = Stopwatch.StartNew();
                    log($"memorization scores (k-NN, Feldman-Zhang, critical samples on {plan.Memorization.Csr.Examples} examples)");
                    memorization = MemorizationProbe.Run(examples, target!, references, model, manifest?.Training.Mode ?? "", plan.Memorization, run);
                    findings.AddRange(memorization.Findings);
                    scan.ProbeComplete(MemorizationProbe.Name, watch.Elapsed.TotalSeconds, findings, memorization.Notes);
                }
                if (memorization is not null) notes.AddRange(memorization.Notes);
            }
            else if (examplesPath is null && plan.Probes.Any(p => p != PredictionStatsProbe.Name))
                notes.Add("membership inference, canary audit and memorization need examples with known membership (a MemScan manifest's examples.parquet or --examples)");

            PredictionStatsResult? predictions = null;
            string? imagesSpec = ImagesFor(plan, profile, examplesPath);
            if (imagesSpec is not null && plan.Wants(PredictionStatsProbe.Name) && done.Contains(PredictionStatsProbe.Name))
            {
                predictions = done.Predictions(model.Classes);
                findings.Add(predictions.Finding);
            }
            else if (imagesSpec is not null && plan.Wants(PredictionStatsProbe.Name))
            {
                var watch = Stopwatch.StartNew();
                var images = ImageSources.Load(imagesSpec, plan.MaxImages, plan.LabelsPath);
                var fitted = ImageFitter.Fit(images, model.Channels, model.Height, model.Width, profile.Resize);
                log($"prediction statistics on {fitted.Count} images from {images.Name} ({images.Channels}×{images.Height}×{images.Width} → {model.Channels}×{model.Height}×{model.Width}, {profile.Resize})");
                var output = new ModelPredictions("target", model.Run(fitted.Pixels, fitted.Count), null);
                predictions = PredictionStatsProbe.Run(fitted, output, profile.ClassNames, run, membersKnown: examplesPath is not null);
                findings.Add(predictions.Finding);
                scan.ProbeComplete(PredictionStatsProbe.Name, watch.Elapsed.TotalSeconds, findings);
            }
            if (foreign) notes.Add("foreign model: membership cannot be judged without known members; only prediction statistics are reported");
            if (findings.Count == 0) throw new MemScanException("nothing to scan: no examples with membership and no --images for the chosen probes");

            scan.Complete(findings);
            queries += model.Queries;
            return new VisionScanResult(run, profile, foreign, referenceCount, findings, mia, audit, memorization, predictions, notes,
                queries, total.Elapsed.TotalSeconds, model.DeviceNote);
        }
        catch (Exception e)
        {
            scan.Fail(e);
            throw;
        }
    }

    const string AuditSkipped = "canary audit skipped: the examples hold no canaries with both included and excluded ones";

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

    /// <summary>
    /// run.json's probe settings: what decides a probe's results (and so whether <c>--resume</c> may
    /// continue a run), including the inputs it reads: the examples file, whether the reference
    /// models beside it are used, an added embedding output, the image source.
    /// </summary>
    static Dictionary<string, IReadOnlyDictionary<string, string>> Settings(VisionScanPlan p, string? examplesPath)
    {
        var c = CultureInfo.InvariantCulture;
        string examples = examplesPath ?? "", references = p.NoReferences ? "off" : "on";
        var all = new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            [MembershipProbe.Name] = new Dictionary<string, string>
            {
                ["examples"] = examples, ["references"] = references,
                ["resamples"] = p.Membership.Resamples.ToString(c), ["rmia_a"] = p.Membership.RmiaA?.ToString(c) ?? "tuned",
            },
            [CanaryAuditProbe.Name] = new Dictionary<string, string>
            {
                ["examples"] = examples, ["references"] = references,
                ["alpha"] = p.Audit.Alpha.ToString(c), ["delta"] = p.Audit.Delta.ToString(c), ["guess_fraction"] = p.Audit.GuessFraction.ToString(c),
            },
            [MemorizationProbe.Name] = new Dictionary<string, string>
            {
                ["examples"] = examples, ["references"] = references, ["embedding_output"] = p.AddEmbeddingOutput ?? "",
                ["k"] = p.Memorization.K.ToString(c), ["csr_examples"] = p.Memorization.Csr.Examples.ToString(c),
                ["csr_radius"] = p.Memorization.Csr.Radius.ToString(c), ["csr_steps"] = p.Memorization.Csr.Steps.ToString(c),
            },
            [PredictionStatsProbe.Name] = new Dictionary<string, string>
            {
                ["images"] = p.Images ?? "", ["labels"] = p.LabelsPath is { } l ? Path.GetFullPath(l) : "", ["max_images"] = p.MaxImages.ToString(c),
            },
        };
        return all.Where(kv => p.Wants(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value);
    }
}
