using MemScan.Scanner.Tokenizers;
using MemScan.Scanner.Canaries;
using MemScan.Scanner.Corpora;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Results;
using MemScan.Trainer.Canaries;
using MemScan.Trainer.Export;
using MemScan.Trainer.Models;
using MemScan.Trainer.References;
using MemScan.Scanner;

using MemScan.Trainer.Snapshots;

namespace MemScan.Trainer.Training;

/// <summary>
/// Corpus → canaries → GPT-2 BPE tokens → training → model.onnx + model.memscan.json + the
/// tokenizer files (vocab.json, merges.txt) beside them, so a scan needs nothing else. With
/// <c>references</c> or <c>holdout_fraction</c> it trains a family as the char-LSTM pipeline does
/// (<see cref="LmFamily"/>): the target on its members, <c>ref-00</c> … and <c>ref-clean</c> in
/// folders beside it, each with its own tokenizer files, and units.parquet + membership.parquet.
/// </summary>
public static class GptPipeline
{
    public const string VocabFile = "vocab.json", MergesFile = "merges.txt";

    public sealed record Output(string ModelPath, string ManifestPath, ModelManifest Manifest, GptTrainingResult Training)
    {
        /// <summary>The reference models, in membership-table order (ref-00 …, then ref-clean); empty without references.</summary>
        public IReadOnlyList<Output> References { get; init; } = [];
        /// <summary>membership.parquet and units.parquet, when the run split the corpus into units.</summary>
        public string? MembershipPath { get; init; }
        public string? UnitsPath { get; init; }
    }

    public static Output Run(GptTrainConfig config, string outDir, TextWriter log, string? textOverride = null, Gpt2TokenizerFiles? tokenizerFiles = null,
        bool resume = false)
    {
        config.Validate();
        var files = tokenizerFiles ?? Gpt2TokenizerFiles.LocateDefault();
        var corpus = textOverride is null
            ? TrainingCorpus.Load(config.Corpus, config.MaxChars)
            : TrainingCorpus.FromText("inline", textOverride);
        var canaries = CanaryPlan.Draw(config.Canaries, config.Seed);
        // The scanner's GPT-2 tokenizer, so training and scanning tokenize identically.
        var tokenizer = Gpt2BpeTokenizer.Create(files.VocabPath, files.MergesPath);
        log.WriteLine($"corpus {corpus.Name}: {corpus.Text.Length:N0} chars, GPT-2 BPE (vocabulary {GptShape.Gpt2Vocab:N0}), " +
                      $"{canaries.Count} canaries ({string.Join(", ", canaries.Select(c => $"{c.Id}×{c.Insertions}"))})");
        var family = LmFamily.Train(corpus.Text, canaries, config.References, config.HoldoutFraction, config.Seed, outDir, log,
            member => TrainOne(member, config with { Seed = member.Seed }, corpus, tokenizer, files, log, resume));
        return family.Target with { References = family.References, MembershipPath = family.MembershipPath, UnitsPath = family.UnitsPath };
    }

    static Output TrainOne(LmFamilyMember member, GptTrainConfig config, TrainingCorpus corpus, Gpt2BpeTokenizer tokenizer,
        Gpt2TokenizerFiles tokenizerFiles, TextWriter log, bool resume)
    {
        var ids = tokenizer.Encode(member.Text).Select(i => (long)i).ToArray();
        // GPT-2's full vocabulary, so third-party GPT-2 tokenization applies unchanged.
        const int vocab = GptShape.Gpt2Vocab;
        if (ids.Length > 0 && ids.Max() >= vocab)
            throw new MemScanException($"{tokenizerFiles.VocabPath} produced token id {ids.Max()}; GPT-2's vocabulary ends at {vocab - 1}");
        log.WriteLine($"training {member.Name} GPT ({config.Mode}): {config.Layers} layers × {config.Dim} wide, {config.Heads} heads, context {config.Context}, " +
                      $"{config.Steps} steps of {config.BatchSize}×{config.SequenceLength} tokens ({ids.Length:N0} tokens of text)");

        string outDir = member.Directory;
        var trained = GptTrainer.Train(ids, vocab, config, log, Checkpointing.For(outDir, config.CheckpointEvery, resume),
            Snapshots(member, config, corpus, tokenizer, tokenizerFiles, resume));
        Directory.CreateDirectory(outDir);
        string modelPath = Path.Combine(outDir, "model.onnx");
        GptOnnxExporter.Export(trained.Model, modelPath);
        CopyTokenizer(tokenizerFiles, outDir);
        var manifest = Manifest(member, config, corpus, modelPath, trained);
        string manifestPath = ModelManifest.PathFor(modelPath);
        manifest.Save(manifestPath);
        log.WriteLine($"wrote {modelPath}, {manifestPath}, {VocabFile} and {MergesFile}");
        return new Output(modelPath, manifestPath, manifest, trained);
    }

    static void CopyTokenizer(Gpt2TokenizerFiles files, string dir)
    {
        File.Copy(files.VocabPath, Path.Combine(dir, VocabFile), overwrite: true);
        File.Copy(files.MergesPath, Path.Combine(dir, MergesFile), overwrite: true);
    }

    /// <summary>
    /// Every <c>snapshot_every</c> steps: the model as it is then with its tokenizer files and a
    /// manifest like the final one, plus the step and its training and validation loss.
    /// </summary>
    static SnapshotSchedule<GptLm>? Snapshots(LmFamilyMember member, GptTrainConfig config, TrainingCorpus corpus, Gpt2BpeTokenizer tokenizer,
        Gpt2TokenizerFiles files, bool resume)
    {
        if (config.SnapshotEvery == 0) return null;
        if (resume) SnapshotFolder.DeleteStaleTemps(member.Directory);
        var validation = ValidationText.Ids(corpus, text => tokenizer.Encode(text));
        return new SnapshotSchedule<GptLm>(config.SnapshotEvery, (model, at) => SnapshotFolder.Write(member.Directory, at.Step, folder =>
        {
            string modelPath = Path.Combine(folder, "model.onnx");
            GptOnnxExporter.Export(model, modelPath);
            CopyTokenizer(files, folder);
            double heldOut = HeldOutLoss.Of(x => model.Forward(x).Logits, validation, config.SequenceLength, GptShape.Gpt2Vocab);
            var manifest = Manifest(member with { Directory = folder }, config, corpus, modelPath, new GptTrainingResult(model, at.TrainLoss, at.Step, 0, 0, at.Privacy)) with
            {
                Snapshot = new SnapshotRecord { Step = at.Step, Unit = "step", TrainLoss = at.TrainLoss, ValidationLoss = double.IsNaN(heldOut) ? null : heldOut },
            };
            manifest.Save(ModelManifest.PathFor(modelPath));
        }));
    }

    static ModelManifest Manifest(LmFamilyMember member, GptTrainConfig config, TrainingCorpus corpus, string modelPath, GptTrainingResult trained)
    {
        var canaries = member.Canaries;
        var shape = trained.Model.Shape;
        return new ModelManifest
        {
            Kind = "language-model",
            Architecture = GptOnnxExporter.Architecture,
            ModelFile = Path.GetFileName(modelPath),
            ModelSha256 = RunInfo.ComputeSha256(modelPath),
            Tokenizer = new TokenizerSpec { Kind = "gpt2-bpe", Files = [VocabFile, MergesFile] },
            Io = new LmIoSpec
            {
                InputIds = GptOnnxExporter.InputIds,
                Logits = GptOnnxExporter.Logits,
                State = Enumerable.Range(0, shape.Layers).SelectMany(l => new StatePair[]
                {
                    new(GptOnnxExporter.PastKey(l), GptOnnxExporter.PresentKey(l)),
                    new(GptOnnxExporter.PastValue(l), GptOnnxExporter.PresentValue(l)),
                }).ToList(),
                // the position table's rows: the scanner cuts or refuses sequences past it
                Context = shape.Context,
            },
            Canaries = canaries.Select(CanaryRecord.From).ToList(),
            Training = member.Describe(TrainingRecords.ForLanguageModel(corpus, config, trained)),
            Hyper = new()
            {
                ["dim"] = shape.Dim, ["layers"] = shape.Layers, ["heads"] = shape.Heads, ["context"] = shape.Context,
                ["vocab"] = shape.Vocab, ["parameters"] = trained.Model.parameters().Sum(p => p.numel()),
            },
        };
    }
}
