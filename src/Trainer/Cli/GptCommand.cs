using System.CommandLine;
using MemScan.Scanner.Onnx;
using MemScan.Trainer.Export;
using MemScan.Trainer.Training;

namespace MemScan.Trainer.Cli;

/// <summary><c>memscan-train gpt</c>: train a small GPT (GPT-2 BPE) with canaries and export it with HF GPT-2 style I/O.</summary>
public static class GptCommand
{
    public static Command Create()
    {
        var common = new LmCommonOptions();
        var config = new Option<FileInfo?>("--config") { Description = "JSON training config; options below override it" };
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "output folder for model.onnx, model.memscan.json, vocab.json, merges.txt", DefaultValueFactory = _ => new DirectoryInfo("models/gpt") };
        var dim = new Option<int?>("--dim") { Description = "model width" };
        var layers = new Option<int?>("--layers") { Description = "transformer blocks" };
        var heads = new Option<int?>("--heads") { Description = "attention heads (must divide --dim)" };
        var context = new Option<int?>("--context") { Description = "learned positions (longest readable sequence)" };
        var seqLen = new Option<int?>("--seq-len") { Description = "tokens per training sequence (<= --context)" };
        var lr = new Option<double?>("--lr") { Description = "AdamW learning rate" };
        var mode = new Option<string?>("--mode") { Description = "standard (default) or dp-sgd (per-example gradients: slow with the 50,257-token head)" };
        var dropout = new Option<double?>("--dropout") { Description = "embedding and residual dropout in training" };
        var weightDecay = new Option<double?>("--weight-decay") { Description = "AdamW weight decay (default 0)" };
        var holdout = new Option<double?>("--holdout") { Description = "share of lines held out of the target as non-members" };
        var resume = new Option<bool>("--resume") { Description = "continue from the last checkpoint in OUT/checkpoint/" };
        var kvHeads = new Option<int?>("--kv-heads") { Description = "key/value heads (grouped-query attention when fewer than --heads; must divide it)" };
        var rotary = new Option<bool?>("--rotary") { Description = "rotary position embeddings (RoPE) instead of a learned position table" };
        var publish = new Option<string?>("--publish") { Description = "also write OUT/published/ as third-party decoders are published: single, merged or pair (with config.json and the tokenizer)" };
        publish.AcceptOnlyFromAmong("single", "merged", "pair");
        var precision = new Option<string>("--publish-precision") { Description = "float, float16 or bfloat16 weights, caches and logits in OUT/published/; int8: dynamically quantized int8 weights (DynamicQuantizeLinear + MatMulInteger), float caches and logits", DefaultValueFactory = _ => "float" };
        precision.AcceptOnlyFromAmong("float", "float16", "bfloat16", "int8");

        var command = new Command("gpt", "Train a small GPT-style transformer LM (GPT-2 BPE) with inserted canaries and export it to ONNX with GPT-2 style past_key_values")
        {
            config, output, dim, layers, heads, context, seqLen, lr, mode, dropout, weightDecay, holdout, resume, kvHeads, rotary, publish, precision,
        };
        foreach (var option in common.All) command.Options.Add(option);
        command.SetAction(parsed =>
        {
            var file = parsed.GetValue(config);
            var c = file is null ? new GptTrainConfig() : GptTrainConfig.Load(file.FullName);
            c = c with
            {
                Corpus = parsed.GetValue(common.Corpus) ?? c.Corpus,
                Steps = parsed.GetValue(common.Steps) ?? c.Steps,
                Seed = parsed.GetValue(common.Seed) ?? c.Seed,
                MaxChars = parsed.GetValue(common.MaxChars) ?? c.MaxChars,
                Dim = parsed.GetValue(dim) ?? c.Dim,
                Layers = parsed.GetValue(layers) ?? c.Layers,
                Heads = parsed.GetValue(heads) ?? c.Heads,
                KvHeads = parsed.GetValue(kvHeads) ?? c.KvHeads,
                Rotary = parsed.GetValue(rotary) ?? c.Rotary,
                Context = parsed.GetValue(context) ?? c.Context,
                BatchSize = parsed.GetValue(common.Batch) ?? c.BatchSize,
                SequenceLength = parsed.GetValue(seqLen) ?? c.SequenceLength,
                LearningRate = parsed.GetValue(lr) ?? c.LearningRate,
                Threads = parsed.GetValue(common.Threads) ?? c.Threads,
                CheckpointEvery = parsed.GetValue(common.CheckpointEvery) ?? c.CheckpointEvery,
                SnapshotEvery = parsed.GetValue(common.SnapshotEvery) ?? c.SnapshotEvery,
                Mode = parsed.GetValue(mode) ?? c.Mode,
                Dropout = parsed.GetValue(dropout) ?? c.Dropout,
                WeightDecay = parsed.GetValue(weightDecay) ?? c.WeightDecay,
                References = parsed.GetValue(common.References) ?? c.References,
                HoldoutFraction = parsed.GetValue(holdout) ?? c.HoldoutFraction,
            };
            c = c with { Dp = common.Dp.Apply(parsed, c.Dp) };
            if (common.Canaries(parsed) is { } canaries) c = c with { Canaries = canaries };
            if (parsed.GetValue(common.PrintConfig))
            {
                Console.WriteLine(c.ToJson());
                return 0;
            }
            var trained = GptPipeline.Run(c, parsed.GetValue(output)!.FullName, Console.Out, resume: parsed.GetValue(resume));
            if (parsed.GetValue(publish) is { } layout)
            {
                string dir = Path.Combine(parsed.GetValue(output)!.FullName, "published");
                var options = new GptExportOptions
                {
                    Precision = parsed.GetValue(precision) switch { "float16" => OnnxElementType.Float16, "bfloat16" => OnnxElementType.BFloat16, _ => OnnxElementType.Float },
                    Int8Weights = parsed.GetValue(precision) == "int8",
                };
                string modelDir = Path.GetDirectoryName(trained.ModelPath)!;
                GptFolderExporter.Export(trained.Training.Model, dir,
                    layout switch { "merged" => GptFolderLayout.Merged, "pair" => GptFolderLayout.Pair, _ => GptFolderLayout.SingleFile }, options,
                    tokenizerFiles: (Path.Combine(modelDir, GptPipeline.VocabFile), Path.Combine(modelDir, GptPipeline.MergesFile)));
                Console.WriteLine($"wrote {dir} ({layout}, {(options.Int8Weights ? "int8 weights" : options.Precision.ToOnnxString())}; config.json, generation_config.json, vocab.json, merges.txt; no manifest: scan it as a third party would)");
            }
            return 0;
        });
        return command;
    }
}
