using MemScan.Scanner.Manifest;
using MemScan.Scanner.Results;
using MemScan.Trainer.Export;
using MemScan.Trainer.Images;
using MemScan.Trainer.Models;
using MemScan.Trainer.Snapshots;
using static TorchSharp.torch;

namespace MemScan.Trainer.Training;

/// <summary>
/// Dataset → pool + canaries → target and reference CNNs → model.onnx + manifest each, and beside
/// the target examples.parquet (every image with its role for the target) and
/// example_membership.parquet (every model × every example).
/// </summary>
public static class CnnPipeline
{
    public const string ExamplesFile = "examples.parquet", MembershipFile = "example_membership.parquet";

    public sealed record ModelOutput(string Name, string ModelPath, string ManifestPath, ModelManifest Manifest, CnnTrainingResult Training);

    public sealed record Output(string Directory, string ExamplesPath, string MembershipPath, IReadOnlyList<ModelOutput> Models,
        VisionExamplePlan Plan, FamilyMembership Membership)
    {
        public ModelOutput Target => Models[0];
        public string ModelPath => Target.ModelPath;
        /// <summary>The pre-training comparison, when <c>pretrain_compare</c> asked for one.</summary>
        public PretrainComparison.Summary? Comparison { get; init; }
    }

    public static Output Run(CnnTrainConfig config, string outDir, TextWriter log, bool resume = false) =>
        Run(config, VisionExamplePlan.Load(config), outDir, log, resume);

    /// <param name="resume">continue each model from the checkpoint in its folder (a model whose checkpoint is at the last epoch is not trained again)</param>
    public static Output Run(CnnTrainConfig config, VisionExamplePlan plan, string outDir, TextWriter log, bool resume = false)
    {
        config.Validate();
        var membership = FamilyMembership.Draw(plan.Examples.Count, config.References, config.Seed, plan.Examples.Select(e => e.IsCanary).ToArray());
        var shape = new CnnShape(plan.Channels, plan.Height, plan.Width, plan.Classes, config.Conv1, config.Conv2, config.Hidden, config.Dropout);
        int mislabeled = plan.Examples.Count(e => e.Kind == VisionExampleKind.Mislabeled);
        int noise = plan.Examples.Count(e => e.Kind == VisionExampleKind.Noise);
        log.WriteLine($"dataset {plan.Source.Name}: pool {plan.PoolCount} images ({plan.Channels}×{plan.Height}×{plan.Width}, {plan.Classes} classes), " +
                      $"{mislabeled} mislabeled + {noise} noise canaries, {plan.TestLabels.Length} test images; mode {config.Mode}" +
                      (config.Mode == CnnTrainConfig.RandomLabels ? $" (fraction {config.RandomLabelFraction:G3})" : ""));
        log.WriteLine($"training CNN conv {config.Conv1}/{config.Conv2}, hidden {config.Hidden}: target + {config.References} references, " +
                      $"{config.Epochs} epochs of batch {config.BatchSize}" + (membership.Clean is null ? "" : ", plus the canary-free ref-clean"));

        Directory.CreateDirectory(outDir);
        using var test = ImageBatch.From(plan.TestPixels, plan.Channels, plan.Height, plan.Width, plan.Mean, plan.Std);
        var testLabels = plan.TestLabels.Select(l => (long)l).ToArray();
        var models = new List<ModelOutput>();
        PretrainComparison.Summary? comparison = null;
        int index = 0;
        foreach (var (name, members) in membership.Models())
        {
            var chosen = plan.Examples.Where(e => members[e.Id]).ToList();
            using var images = ImageBatch.From(chosen.Select(e => e.Pixels).ToList(), plan.Channels, plan.Height, plan.Width, plan.Mean, plan.Std);
            int seed = index == 0 ? config.Seed : config.Seed + 7919 * index; // distinct init and batch order per model
            string dir = index == 0 ? outDir : Path.Combine(outDir, name);
            var labels = chosen.Select(e => (long)e.Label).ToArray();
            var snapshots = Snapshots(config, plan, shape, dir, name, seed, images, labels, test, testLabels, resume);
            var trained = CnnTrainer.Train(shape, images, labels, test, testLabels, config, seed, log, name,
                Checkpointing.For(dir, config.CheckpointEvery, resume), snapshots);
            Directory.CreateDirectory(dir);
            string modelPath = Path.Combine(dir, "model.onnx");
            CnnOnnxExporter.Export(trained.Model, modelPath);
            var manifest = Manifest(config, plan, shape, trained, modelPath, seed, name, hasExamples: index == 0);
            string manifestPath = ModelManifest.PathFor(modelPath);
            manifest.Save(manifestPath);
            models.Add(new ModelOutput(name, modelPath, manifestPath, manifest, trained));
            if (index == 0 && config.PretrainCompare > 0)
                comparison = PretrainComparison.Run(shape, images, labels, test, testLabels, config, outDir, log);
            index++;
        }

        string examplesPath = Path.Combine(outDir, ExamplesFile);
        ParquetTable<ExampleRow>.WriteAsync(examplesPath, ExampleRows(plan, membership.Target)).GetAwaiter().GetResult();
        string membershipPath = Path.Combine(outDir, MembershipFile);
        var rows = membership.Models().SelectMany(m => plan.Examples.Select(e => new ExampleMembershipRow { Model = m.Name, ExampleId = e.Id, IsMember = m.Members[e.Id] }));
        ParquetTable<ExampleMembershipRow>.WriteAsync(membershipPath, rows).GetAwaiter().GetResult();
        log.WriteLine($"wrote {models[0].ModelPath} (+ {models.Count - 1} references), {examplesPath}, {membershipPath}");
        return new Output(outDir, examplesPath, membershipPath, models, plan, membership) { Comparison = comparison };
    }

    /// <summary>
    /// Every <c>snapshot_every</c> epochs (dp-sgd: that many epochs' worth of steps): the model as it
    /// is then with a manifest like the final one, plus the epoch, the epoch's training loss, the
    /// test loss and both accuracies. Snapshots name no examples file; <c>memscan trajectory</c>
    /// reads the run's examples.parquet.
    /// </summary>
    static SnapshotSchedule<SmallCnn>? Snapshots(CnnTrainConfig config, VisionExamplePlan plan, CnnShape shape, string dir, string name, int seed,
        Tensor images, long[] labels, Tensor test, long[] testLabels, bool resume)
    {
        if (config.SnapshotEvery == 0) return null;
        if (resume) SnapshotFolder.DeleteStaleTemps(dir);
        string unit = config.Mode == CnnTrainConfig.DpSgd ? "step" : "epoch";
        return new SnapshotSchedule<SmallCnn>(config.SnapshotEvery, (model, at) => SnapshotFolder.Write(dir, at.Step, folder =>
        {
            string modelPath = Path.Combine(folder, "model.onnx");
            CnnOnnxExporter.Export(model, modelPath);
            double trainAccuracy = CnnTrainer.Accuracy(model, images, labels);
            var (testAccuracy, testLoss) = CnnTrainer.Evaluate(model, test, testLabels);
            var result = new CnnTrainingResult(model, at.TrainLoss, at.Step, 0, 0, trainAccuracy, testAccuracy, labels.Length,
                at.Privacy?.Spent.Epsilon, at.Privacy?.Spent.Describe()) { Privacy = at.Privacy };
            var manifest = Manifest(config, plan, shape, result, modelPath, seed, name, hasExamples: false) with
            {
                Snapshot = new SnapshotRecord
                {
                    Step = at.Step, Unit = unit, TrainLoss = at.TrainLoss,
                    ValidationLoss = double.IsNaN(testLoss) ? null : testLoss,
                    TrainAccuracy = trainAccuracy,
                    ValidationAccuracy = double.IsNaN(testAccuracy) ? null : testAccuracy,
                },
            };
            manifest.Save(ModelManifest.PathFor(modelPath));
        }));
    }

    /// <summary>examples.parquet: pool images as member / non-member of the target, canaries with <c>included</c>.</summary>
    public static IEnumerable<ExampleRow> ExampleRows(VisionExamplePlan plan, bool[] target) => plan.Examples.Select(e => new ExampleRow
    {
        ExampleId = e.Id,
        Role = e.IsCanary ? ExampleRow.Canary : target[e.Id] ? ExampleRow.Member : ExampleRow.NonMember,
        CanaryKind = e.Kind switch { VisionExampleKind.Mislabeled => ExampleRow.Mislabeled, VisionExampleKind.Noise => ExampleRow.Noise, _ => null },
        Included = target[e.Id],
        Label = e.Label,
        TrueLabel = e.TrueLabel,
        SourceIndex = e.SourceIndex,
        Pixels = e.Pixels,
    });

    static ModelManifest Manifest(CnnTrainConfig config, VisionExamplePlan plan, CnnShape shape, CnnTrainingResult trained,
        string modelPath, int seed, string name, bool hasExamples)
    {
        var hyper = new Dictionary<string, double>
        {
            ["conv1"] = shape.Conv1, ["conv2"] = shape.Conv2, ["hidden"] = shape.Hidden, ["dropout"] = config.Dropout,
            ["weight_decay"] = config.WeightDecay, ["epochs"] = config.Epochs, ["pool"] = plan.PoolCount,
            ["train_images"] = trained.TrainImages, ["train_accuracy"] = trained.TrainAccuracy, ["references"] = config.References,
        };
        if (!double.IsNaN(trained.TestAccuracy)) hyper["test_accuracy"] = trained.TestAccuracy;
        if (config.Mode == CnnTrainConfig.DpSgd)
        {
            hyper["dp_noise_multiplier"] = config.NoiseMultiplier;
            hyper["dp_clip_norm"] = config.ClipNorm;
            hyper["dp_delta"] = config.Delta;
            if (trained.Epsilon is { } e) hyper["dp_epsilon"] = e;
        }
        return new ModelManifest
        {
            Kind = "classifier",
            Architecture = "cnn",
            ModelFile = Path.GetFileName(modelPath),
            ModelSha256 = RunInfo.ComputeSha256(modelPath),
            Classifier = new ClassifierSpec
            {
                Input = CnnOnnxExporter.Images,
                Logits = CnnOnnxExporter.Logits,
                Embedding = CnnOnnxExporter.Embedding,
                Channels = plan.Channels,
                Height = plan.Height,
                Width = plan.Width,
                Classes = plan.Classes,
                Mean = [.. plan.Mean],
                Std = [.. plan.Std],
                ClassNames = [.. plan.Source.ClassNames],
                Dataset = config.Dataset,
            },
            ExamplesFile = hasExamples ? ExamplesFile : null,
            Training = new TrainingRecord
            {
                Role = name == FamilyMembership.TargetName ? "target" : name == FamilyMembership.CleanName ? "clean-reference" : "reference",
                MembershipModel = name,
                MembershipFile = name == FamilyMembership.TargetName ? MembershipFile : Path.Combine("..", MembershipFile),
                Corpus = plan.Source.Name,
                CorpusSha256 = plan.Source.Sha256,
                Seed = seed,
                Mode = config.Mode,
                RandomLabelFraction = config.Mode == CnnTrainConfig.RandomLabels ? config.RandomLabelFraction : null,
                Steps = trained.Steps,
                BatchSize = config.BatchSize,
                LearningRate = config.LearningRate,
                FinalLoss = trained.FinalLoss,
                Seconds = trained.Seconds,
                Trainer = $"memscan-train {typeof(CnnPipeline).Assembly.GetName().Version} ({name})",
                // dp-sgd: the guarantee as the language models record it (a snapshot's is through its own step)
                NoiseMultiplier = trained.Privacy?.NoiseMultiplier,
                ClipNorm = trained.Privacy?.ClipNorm,
                SamplingRate = trained.Privacy?.SamplingRate,
                Sampling = trained.Privacy?.Sampling,
                Epsilon = trained.Privacy?.Spent.Epsilon,
                Delta = trained.Privacy?.Spent.Delta,
                Accountant = trained.Privacy?.Spent.Describe(),
            },
            Hyper = hyper,
            Pretraining = trained.Pretraining,
        };
    }
}
