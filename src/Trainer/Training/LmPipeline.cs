using MemScan.Scanner.Canaries;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Results;
using MemScan.Scanner.Tokenizers;
using MemScan.Trainer.Canaries;
using MemScan.Trainer.Export;
using MemScan.Trainer.Privacy;
using MemScan.Trainer.References;
using MemScan.Trainer.Snapshots;
using MemScan.Trainer.Models;

namespace MemScan.Trainer.Training;

/// <summary>
/// Corpus → canaries → training → model.onnx + model.memscan.json, the Trainer's main job for LMs.
/// With <c>references</c> or <c>holdout_fraction</c> set it also splits the corpus into units
/// (<see cref="LmUnits"/>), trains the target on its members, trains the reference models beside it
/// (<c>ref-00</c> … on random halves of all units, <c>ref-clean</c> on the target's documents
/// without canaries) and writes <c>units.parquet</c> and <c>membership.parquet</c>.
/// </summary>
public static class LmPipeline
{
    public sealed record Output(string ModelPath, string ManifestPath, ModelManifest Manifest, LmTrainingResult Training)
    {
        /// <summary>The reference models, in membership-table order (ref-00 …, then ref-clean); empty without references.</summary>
        public IReadOnlyList<Output> References { get; init; } = [];
        /// <summary>membership.parquet and units.parquet, when the run split the corpus into units.</summary>
        public string? MembershipPath { get; init; }
        public string? UnitsPath { get; init; }
    }

    public static Output Run(LmTrainConfig config, string outDir, TextWriter log, string? textOverride = null, bool resume = false)
    {
        config.Validate();
        var corpus = textOverride is null
            ? TrainingCorpus.Load(config.Corpus, config.MaxChars)
            : TrainingCorpus.FromText("inline", textOverride);
        var canaries = CanaryPlan.Draw(config.Canaries, config.Seed);
        // Rare characters become the unknown symbol; canary characters must survive. Every model of
        // a run shares this tokenizer (built from the whole corpus), so their scores are comparable.
        var tokenizer = CharTokenizer.FromText(corpus.Text, minCount: 20, mustInclude: canaries.SelectMany(c => c.Text + c.Space.Alphabet));
        log.WriteLine($"corpus {corpus.Name}: {corpus.Text.Length:N0} chars, vocabulary {tokenizer.VocabSize}, " +
                      $"{canaries.Count} canaries ({string.Join(", ", canaries.Select(c => $"{c.Id}×{c.Insertions}"))})");
        var job = new Job(outDir, log, corpus, tokenizer, resume);
        var family = LmFamily.Train(corpus.Text, canaries, config.References, config.HoldoutFraction, config.Seed, outDir, log,
            member => job.Train(member, config with { Seed = member.Seed }));
        return family.Target with { References = family.References, MembershipPath = family.MembershipPath, UnitsPath = family.UnitsPath };
    }

    /// <summary>What every model of one run shares; <see cref="Train"/> trains, exports and describes one model.</summary>
    sealed record Job(string OutDir, TextWriter Log, TrainingCorpus Corpus, CharTokenizer Tokenizer, bool Resume)
    {
        public Output Train(LmFamilyMember member, LmTrainConfig config)
        {
            var (name, dir, text) = (member.Name, member.Directory, member.Text);
            Log.WriteLine($"training {name} char-LSTM ({config.Mode}): {config.Layers}×{config.Hidden} hidden, {config.Steps} steps of {config.BatchSize}×{config.SequenceLength}");
            var trained = LmTrainer.Train(text, Tokenizer, config, Log, Checkpointing.For(dir, config.CheckpointEvery, Resume), Snapshots(member, config));
            Directory.CreateDirectory(dir);
            string modelPath = Path.Combine(dir, "model.onnx");
            CharLstmOnnxExporter.Export(trained.Model, modelPath);
            var manifest = Manifest(member, config, modelPath, trained);
            string manifestPath = ModelManifest.PathFor(modelPath);
            manifest.Save(manifestPath);
            Log.WriteLine($"wrote {modelPath} and {manifestPath}");
            return new Output(modelPath, manifestPath, manifest, trained);
        }

        /// <summary>
        /// Every <c>snapshot_every</c> steps: the model as it is then, exported with a manifest like the
        /// final one (same canaries and samples) plus the step and its training and validation loss.
        /// </summary>
        SnapshotSchedule<CharLstmLm>? Snapshots(LmFamilyMember member, LmTrainConfig config)
        {
            if (config.SnapshotEvery == 0) return null;
            if (Resume) SnapshotFolder.DeleteStaleTemps(member.Directory);
            var validation = ValidationText.Ids(Corpus, text => Tokenizer.Encode(text));
            return new SnapshotSchedule<CharLstmLm>(config.SnapshotEvery, (model, at) => SnapshotFolder.Write(member.Directory, at.Step, folder =>
            {
                string modelPath = Path.Combine(folder, "model.onnx");
                CharLstmOnnxExporter.Export(model, modelPath);
                double heldOut = HeldOutLoss.Of(x => model.forward(x, null).Item1, validation, config.SequenceLength, Tokenizer.VocabSize);
                var manifest = Manifest(member with { Directory = folder }, config, modelPath, new LmTrainingResult(model, at.TrainLoss, at.Step, 0, 0, at.Privacy)) with
                {
                    Snapshot = new SnapshotRecord { Step = at.Step, Unit = "step", TrainLoss = at.TrainLoss, ValidationLoss = double.IsNaN(heldOut) ? null : heldOut },
                };
                manifest.Save(ModelManifest.PathFor(modelPath));
            }));
        }

        ModelManifest Manifest(LmFamilyMember member, LmTrainConfig config, string modelPath, LmTrainingResult trained)
        {
            var (dir, text, canaries) = (member.Directory, member.Text, member.Canaries);
            return new ModelManifest
            {
                Kind = "language-model",
                Architecture = "char-lstm",
                ModelFile = Path.GetFileName(modelPath),
                ModelSha256 = RunInfo.ComputeSha256(modelPath),
                Tokenizer = new TokenizerSpec { Kind = "char", Symbols = Tokenizer.Symbols },
                Io = new LmIoSpec
                {
                    InputIds = CharLstmOnnxExporter.InputIds,
                    Logits = CharLstmOnnxExporter.Logits,
                    State = [new(CharLstmOnnxExporter.H0, CharLstmOnnxExporter.Hn), new(CharLstmOnnxExporter.C0, CharLstmOnnxExporter.Cn)],
                },
                Canaries = canaries.Select(CanaryRecord.From).ToList(),
                Samples = SampleWriter.Write(dir, text, Corpus.HeldOutLines, config.Seed),
                Training = member.Describe(TrainingRecords.ForLanguageModel(Corpus, config, trained)),
                Hyper = new() { ["embedding"] = config.Embedding, ["hidden"] = config.Hidden, ["layers"] = config.Layers, ["vocab"] = Tokenizer.VocabSize },
            };
        }
    }
}
