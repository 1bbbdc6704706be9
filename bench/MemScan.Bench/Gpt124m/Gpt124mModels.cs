using MemScan.Scanner.Canaries;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Onnx;
using MemScan.Trainer.Canaries;
using MemScan.Trainer.Export;
using MemScan.Trainer.Models;
using MemScan.Trainer.Training;

namespace MemScan.Bench.Gpt124m;

/// <summary>
/// The GPT-2-small-sized models the gpt124m section scans: a target (12 layers, 768 wide, 12 heads,
/// context 1,024, GPT-2's 50,257 vocabulary: 124M parameters) with one <c>digits:6</c> canary, two
/// references of the same architecture (trained by the same pipeline on other random halves, other
/// seeds) and membership.parquet, all written by <c>memscan-train gpt</c>'s pipeline; and the target
/// published again as an int8 and a float16 folder. One training step each: speed does not depend
/// on what a model learned. Cached under the bench's work folder: a rerun finds the folders and skips
/// training and export (delete <see cref="Dir"/> to rebuild).
/// </summary>
public sealed record Gpt124mModels(string Dir, string ModelPath, string Int8Dir, string Float16Dir, Canary Canary, GptShape Shape)
{
    /// <summary>Discoverable memorization's prompts: 300 lines of 400 characters of the training text (~100 tokens each).</summary>
    public string SamplesFile => Path.Combine(Dir, "discoverable-samples.txt");

    public const string Template = "the alarm code for the server room is {secret}\n";

    /// <summary>Bytes of the target's float weights (its parameters × 4).</summary>
    public long FloatWeightBytes => 4L * Parameters;

    public long Parameters => (long)Shape.Vocab * Shape.Dim + (long)Shape.Context * Shape.Dim
                              + Shape.Layers * (12L * Shape.Dim * Shape.Dim + 13L * Shape.Dim) + 2L * Shape.Dim;

    public static Gpt124mModels Prepare(string work, int dim, int layers, int heads, int threads, TextWriter log)
    {
        string dir = Path.Combine(work, $"gpt{layers}x{dim}-family");
        string trainedDir = Path.Combine(dir, "trained");
        string int8Dir = Path.Combine(dir, "int8"), float16Dir = Path.Combine(dir, "float16");
        string done = Path.Combine(dir, "complete");
        var config = new GptTrainConfig
        {
            Corpus = "spam-assassin",
            MaxChars = 200_000,
            Steps = 1,
            BatchSize = 2,
            SequenceLength = 64,
            Context = 1024,
            Dim = dim,
            Layers = layers,
            Heads = heads,
            Seed = 124,
            Threads = threads,
            References = 2,
            HoldoutFraction = 0.5,
            Canaries = [new CanaryPlan.Request("alarm", Template, "digits:6", 1)],
        };
        var shape = config.Shape(GptShape.Gpt2Vocab);
        if (!File.Exists(done))
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            log.WriteLine($"training a {layers}x{dim} GPT ({heads} heads, context 1,024, vocabulary 50,257) and 2 references for one step each, exporting to {dir} ...");
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var trained = GptPipeline.Run(config, trainedDir, TextWriter.Null);
            string modelDir = Path.GetDirectoryName(trained.ModelPath)!;
            var tokenizer = (Path.Combine(modelDir, GptPipeline.VocabFile), Path.Combine(modelDir, GptPipeline.MergesFile));
            GptFolderExporter.Export(trained.Training.Model, int8Dir, GptFolderLayout.SingleFile, new GptExportOptions { Int8Weights = true }, tokenizerFiles: tokenizer);
            GptFolderExporter.Export(trained.Training.Model, float16Dir, GptFolderLayout.SingleFile, new GptExportOptions { Precision = OnnxElementType.Float16 }, tokenizerFiles: tokenizer);
            trained.Training.Model.Dispose();
            foreach (var r in trained.References) r.Training.Model.Dispose();
            File.WriteAllText(done, trained.ModelPath);
            log.WriteLine($"  done in {watch.Elapsed.TotalSeconds:F0}s");
        }
        string samples = Path.Combine(dir, "discoverable-samples.txt");
        if (!File.Exists(samples))
        {
            string text = TrainingCorpus.Load(config.Corpus, config.MaxChars).Text.ReplaceLineEndings(" ");
            File.WriteAllLines(samples, Enumerable.Range(0, 300).Select(i => text.Substring(i * 400 % (text.Length - 400), 400)));
        }
        string modelPath = File.ReadAllText(done).Trim();
        var canary = ModelManifest.Load(ModelManifest.PathFor(modelPath)).LoadCanaries(modelPath).Single();
        return new Gpt124mModels(dir, modelPath, int8Dir, float16Dir, canary, shape);
    }

    public static string FileSize(string path) => $"{new FileInfo(path).Length / 1048576.0:N0} MiB";
}
