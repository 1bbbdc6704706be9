using System.CommandLine;
using MemScan.Trainer.Training;

namespace MemScan.Trainer.Cli;

/// <summary><c>memscan-train lm</c>: train a char-level LSTM LM with canaries and export it.</summary>
public static class LmCommand
{
    public static Command Create()
    {
        var common = new LmCommonOptions();
        var config = new Option<FileInfo?>("--config") { Description = "JSON training config (see corpora/configs/); options below override it" };
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "output folder for model.onnx and model.memscan.json", DefaultValueFactory = _ => new DirectoryInfo("models/char-lstm") };
        var hidden = new Option<int?>("--hidden") { Description = "LSTM hidden size" };
        var layers = new Option<int?>("--layers") { Description = "LSTM layers" };
        var seqLen = new Option<int?>("--seq-len") { Description = "characters per training sequence" };
        var lr = new Option<double?>("--lr") { Description = "Adam learning rate" };
        var mode = new Option<string?>("--mode") { Description = "standard (default) or dp-sgd" };
        var dropout = new Option<double?>("--dropout") { Description = "dropout on embeddings, between layers and on LSTM outputs" };
        var weightDecay = new Option<double?>("--weight-decay") { Description = "AdamW weight decay (0 = plain Adam)" };
        var holdout = new Option<double?>("--holdout") { Description = "share of documents held out of the target as non-members" };
        var resume = new Option<bool>("--resume") { Description = "continue each model from its last checkpoint" };

        var command = new Command("lm", "Train a char-level LSTM language model with inserted canaries and export it to ONNX")
        {
            config, output, hidden, layers, seqLen, lr, mode, dropout, weightDecay, holdout, resume,
        };
        foreach (var option in common.All) command.Options.Add(option);
        command.SetAction(parsed =>
        {
            var file = parsed.GetValue(config);
            var c = file is null ? new LmTrainConfig() : LmTrainConfig.Load(file.FullName);
            c = c with
            {
                Corpus = parsed.GetValue(common.Corpus) ?? c.Corpus,
                Steps = parsed.GetValue(common.Steps) ?? c.Steps,
                Seed = parsed.GetValue(common.Seed) ?? c.Seed,
                MaxChars = parsed.GetValue(common.MaxChars) ?? c.MaxChars,
                Hidden = parsed.GetValue(hidden) ?? c.Hidden,
                Layers = parsed.GetValue(layers) ?? c.Layers,
                BatchSize = parsed.GetValue(common.Batch) ?? c.BatchSize,
                SequenceLength = parsed.GetValue(seqLen) ?? c.SequenceLength,
                LearningRate = parsed.GetValue(lr) ?? c.LearningRate,
                Threads = parsed.GetValue(common.Threads) ?? c.Threads,
                Mode = parsed.GetValue(mode) ?? c.Mode,
                Dropout = parsed.GetValue(dropout) ?? c.Dropout,
                WeightDecay = parsed.GetValue(weightDecay) ?? c.WeightDecay,
                References = parsed.GetValue(common.References) ?? c.References,
                HoldoutFraction = parsed.GetValue(holdout) ?? c.HoldoutFraction,
                CheckpointEvery = parsed.GetValue(common.CheckpointEvery) ?? c.CheckpointEvery,
                SnapshotEvery = parsed.GetValue(common.SnapshotEvery) ?? c.SnapshotEvery,
            };
            c = c with { Dp = common.Dp.Apply(parsed, c.Dp) };
            if (common.Canaries(parsed) is { } canaries) c = c with { Canaries = canaries };
            if (parsed.GetValue(common.PrintConfig))
            {
                Console.WriteLine(c.ToJson());
                return 0;
            }
            LmPipeline.Run(c, parsed.GetValue(output)!.FullName, Console.Out, resume: parsed.GetValue(resume));
            return 0;
        });
        return command;
    }
}
