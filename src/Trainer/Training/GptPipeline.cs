using MemScan.Scanner.Tokenizers;
using System.Security.Cryptography;
using MemScan.Scanner.Canaries;
using MemScan.Scanner.Corpora;
using MemScan.Scanner.Manifest;
using MemScan.Trainer.Canaries;
using MemScan.Trainer.Export;
using MemScan.Trainer.Models;
using MemScan.Scanner;

namespace MemScan.Trainer.Training;

/// <summary>
/// Corpus → canaries → GPT-2 BPE tokens → training → model.onnx + model.memscan.json + the
/// tokenizer files (vocab.json, merges.txt) beside them, so a scan needs nothing else.
/// </summary>
public static class GptPipeline
{
    public const string VocabFile = "vocab.json", MergesFile = "merges.txt";

    public sealed record Output(string ModelPath, string ManifestPath, ModelManifest Manifest, GptTrainingResult Training);

    public static Output Run(GptTrainConfig config, string outDir, TextWriter log, string? textOverride = null, Gpt2TokenizerFiles? tokenizerFiles = null,
        bool resume = false)
    {
        config.Validate();
        tokenizerFiles ??= Gpt2TokenizerFiles.LocateDefault();
        var corpus = textOverride is null
            ? TrainingCorpus.Load(config.Corpus, config.MaxChars)
            : TrainingCorpus.FromText("inline", textOverride);
        var canaries = CanaryPlan.Draw(config.Canaries, config.Seed);
        string text = CanaryPlan.Insert(corpus.Text, canaries, config.Seed);

        // The scanner's GPT-2 tokenizer, so training and scanning tokenize identically.
        var tokenizer = Gpt2BpeTokenizer.Create(tokenizerFiles.VocabPath, tokenizerFiles.MergesPath);
        var ids = tokenizer.Encode(text).Select(i => (long)i).ToArray();
        // GPT-2's full vocabulary, so third-party GPT-2 tokenization applies unchanged.
        const int vocab = GptShape.Gpt2Vocab;
        if (ids.Length > 0 && ids.Max() >= vocab)
            throw new MemScanException($"{tokenizerFiles.VocabPath} produced token id {ids.Max()}; GPT-2's vocabulary ends at {vocab - 1}");
        log.WriteLine($"corpus {corpus.Name}: {corpus.Text.Length:N0} chars → {ids.Length:N0} GPT-2 BPE tokens (vocabulary {vocab:N0}), " +
                      $"{canaries.Count} canaries ({string.Join(", ", canaries.Select(c => $"{c.Id}×{c.Insertions}"))})");
        log.WriteLine($"training GPT: {config.Layers} layers × {config.Dim} wide, {config.Heads} heads, context {config.Context}, " +
                      $"{config.Steps} steps of {config.BatchSize}×{config.SequenceLength} tokens");

        var trained = GptTrainer.Train(ids, vocab, config, log, Checkpointing.For(outDir, config.CheckpointEvery, resume));
        Directory.CreateDirectory(outDir);
        string modelPath = Path.Combine(outDir, "model.onnx");
        GptOnnxExporter.Export(trained.Model, modelPath);
        File.Copy(tokenizerFiles.VocabPath, Path.Combine(outDir, VocabFile), overwrite: true);
        File.Copy(tokenizerFiles.MergesPath, Path.Combine(outDir, MergesFile), overwrite: true);

        var shape = trained.Model.Shape;
        var manifest = new ModelManifest
        {
            Kind = "language-model",
            Architecture = GptOnnxExporter.Architecture,
            ModelFile = Path.GetFileName(modelPath),
            ModelSha256 = LmPipeline.Sha256Of(modelPath),
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
            },
            Canaries = canaries.Select(CanaryRecord.From).ToList(),
            Training = new TrainingRecord
            {
                Corpus = corpus.Name,
                CorpusSha256 = corpus.Sha256,
                CorpusChars = corpus.Text.Length,
                Seed = config.Seed,
                Mode = "standard",
                Steps = trained.Steps,
                BatchSize = config.BatchSize,
                SequenceLength = config.SequenceLength,
                LearningRate = config.LearningRate,
                FinalLoss = trained.FinalLoss,
                Seconds = trained.Seconds,
                Trainer = "memscan-train " + typeof(GptPipeline).Assembly.GetName().Version,
            },
            Hyper = new()
            {
                ["dim"] = shape.Dim, ["layers"] = shape.Layers, ["heads"] = shape.Heads, ["context"] = shape.Context,
                ["vocab"] = shape.Vocab, ["parameters"] = trained.Model.parameters().Sum(p => p.numel()),
            },
        };
        string manifestPath = ModelManifest.PathFor(modelPath);
        manifest.Save(manifestPath);
        log.WriteLine($"wrote {modelPath}, {manifestPath}, {VocabFile} and {MergesFile}");
        return new Output(modelPath, manifestPath, manifest, trained);
    }
}
