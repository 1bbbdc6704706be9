using System.Security.Cryptography;
using MemScan.Scanner.Canaries;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Tokenizers;
using MemScan.Trainer.Canaries;
using MemScan.Trainer.Export;

namespace MemScan.Trainer.Training;

/// <summary>Corpus → canaries → training → model.onnx + model.memscan.json, the Trainer's main job for LMs.</summary>
public static class LmPipeline
{
    public sealed record Output(string ModelPath, string ManifestPath, ModelManifest Manifest, LmTrainingResult Training);

    public static Output Run(LmTrainConfig config, string outDir, TextWriter log, string? textOverride = null)
    {
        config.Validate();
        var corpus = textOverride is null
            ? TrainingCorpus.Load(config.Corpus, config.MaxChars)
            : TrainingCorpus.FromText("inline", textOverride);
        var canaries = CanaryPlan.Draw(config.Canaries, config.Seed);
        // Rare characters become the unknown symbol; canary characters must survive.
        var tokenizer = CharTokenizer.FromText(corpus.Text, minCount: 20, mustInclude: canaries.SelectMany(c => c.Text + c.Space.Alphabet));
        string text = CanaryPlan.Insert(corpus.Text, canaries, config.Seed);
        log.WriteLine($"corpus {corpus.Name}: {corpus.Text.Length:N0} chars, vocabulary {tokenizer.VocabSize}, " +
                      $"{canaries.Count} canaries ({string.Join(", ", canaries.Select(c => $"{c.Id}×{c.Insertions}"))})");
        log.WriteLine($"training char-LSTM: {config.Layers}×{config.Hidden} hidden, {config.Steps} steps of {config.BatchSize}×{config.SequenceLength}");

        var trained = LmTrainer.Train(text, tokenizer, config, log);
        Directory.CreateDirectory(outDir);
        string modelPath = Path.Combine(outDir, "model.onnx");
        CharLstmOnnxExporter.Export(trained.Model, modelPath);
        var samples = SampleWriter.Write(outDir, corpus, config.Seed);
        var manifest = new ModelManifest
        {
            Kind = "language-model",
            Architecture = "char-lstm",
            ModelFile = Path.GetFileName(modelPath),
            ModelSha256 = Sha256Of(modelPath),
            Tokenizer = new TokenizerSpec { Kind = "char", Symbols = tokenizer.Symbols },
            Io = new LmIoSpec
            {
                InputIds = CharLstmOnnxExporter.InputIds,
                Logits = CharLstmOnnxExporter.Logits,
                State = [new(CharLstmOnnxExporter.H0, CharLstmOnnxExporter.Hn), new(CharLstmOnnxExporter.C0, CharLstmOnnxExporter.Cn)],
            },
            Canaries = canaries.Select(CanaryRecord.From).ToList(),
            Samples = samples,
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
                Trainer = "memscan-train " + typeof(LmPipeline).Assembly.GetName().Version,
            },
            Hyper = new() { ["embedding"] = config.Embedding, ["hidden"] = config.Hidden, ["layers"] = config.Layers, ["vocab"] = tokenizer.VocabSize },
        };
        string manifestPath = ModelManifest.PathFor(modelPath);
        manifest.Save(manifestPath);
        log.WriteLine($"wrote {modelPath} and {manifestPath}");
        return new Output(modelPath, manifestPath, manifest, trained);
    }

    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
