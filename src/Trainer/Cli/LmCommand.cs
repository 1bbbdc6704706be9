using System.CommandLine;
using MemScan.Scanner;
using MemScan.Trainer.Canaries;
using MemScan.Trainer.Privacy;
using MemScan.Trainer.Training;

namespace MemScan.Trainer.Cli;

/// <summary><c>memscan-train lm</c>: train a char-level LSTM LM with canaries and export it.</summary>
public static class LmCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = "JSON training config (see corpora/configs/); options below override it" };
        var corpus = new Option<string?>("--corpus") { Description = "spam-assassin (default), moby-dick or sotu" };
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "output folder for model.onnx and model.memscan.json", DefaultValueFactory = _ => new DirectoryInfo("models/char-lstm") };
        var steps = new Option<int?>("--steps") { Description = "optimizer steps" };
        var seed = new Option<int?>("--seed") { Description = "random seed (weights, windows, secrets)" };
        var maxChars = new Option<int?>("--max-chars") { Description = "characters of corpus text to train on" };
        var hidden = new Option<int?>("--hidden") { Description = "LSTM hidden size" };
        var layers = new Option<int?>("--layers") { Description = "LSTM layers" };
        var batch = new Option<int?>("--batch") { Description = "sequences per step" };
        var seqLen = new Option<int?>("--seq-len") { Description = "characters per training sequence" };
        var lr = new Option<double?>("--lr") { Description = "Adam learning rate" };
        var threads = new Option<int?>("--threads") { Description = "torch CPU threads (0 = all)" };
        var canary = new Option<string[]>("--canary")
        {
            Description = "ID|TEMPLATE|SPACE|INSERTIONS, e.g. 'pin|my PIN is {secret}|digits:6|16' (repeatable; replaces the default set)",
            AllowMultipleArgumentsPerToken = false,
        };
        var mode = new Option<string?>("--mode") { Description = "standard (default) or dp-sgd" };
        var dpOptions = new DpOptions();
        var dropout = new Option<double?>("--dropout") { Description = "dropout on embeddings, between layers and on LSTM outputs" };
        var weightDecay = new Option<double?>("--weight-decay") { Description = "AdamW weight decay (0 = plain Adam)" };
        var references = new Option<int?>("--references") { Description = "train N reference models on random halves of the units, plus ref-clean" };
        var holdout = new Option<double?>("--holdout") { Description = "share of documents held out of the target as non-members" };
        var checkpointEvery = new Option<int?>("--checkpoint-every") { Description = "save OUT/checkpoint/ every N steps" };
        var resume = new Option<bool>("--resume") { Description = "continue each model from its last checkpoint" };
        var printConfig = new Option<bool>("--print-config") { Description = "print the effective config as JSON and exit" };

        var command = new Command("lm", "Train a char-level LSTM language model with inserted canaries and export it to ONNX")
        {
            config, corpus, output, steps, seed, maxChars, hidden, layers, batch, seqLen, lr, threads, canary,
            mode, dropout, weightDecay, references, holdout, checkpointEvery, resume, printConfig,
        };
        foreach (var option in dpOptions.All) command.Options.Add(option);
        command.SetAction(parsed =>
        {
            var file = parsed.GetValue(config);
            var c = file is null ? new LmTrainConfig() : LmTrainConfig.Load(file.FullName);
            c = c with
            {
                Corpus = parsed.GetValue(corpus) ?? c.Corpus,
                Steps = parsed.GetValue(steps) ?? c.Steps,
                Seed = parsed.GetValue(seed) ?? c.Seed,
                MaxChars = parsed.GetValue(maxChars) ?? c.MaxChars,
                Hidden = parsed.GetValue(hidden) ?? c.Hidden,
                Layers = parsed.GetValue(layers) ?? c.Layers,
                BatchSize = parsed.GetValue(batch) ?? c.BatchSize,
                SequenceLength = parsed.GetValue(seqLen) ?? c.SequenceLength,
                LearningRate = parsed.GetValue(lr) ?? c.LearningRate,
                Threads = parsed.GetValue(threads) ?? c.Threads,
                Mode = parsed.GetValue(mode) ?? c.Mode,
                Dropout = parsed.GetValue(dropout) ?? c.Dropout,
                WeightDecay = parsed.GetValue(weightDecay) ?? c.WeightDecay,
                References = parsed.GetValue(references) ?? c.References,
                HoldoutFraction = parsed.GetValue(holdout) ?? c.HoldoutFraction,
                CheckpointEvery = parsed.GetValue(checkpointEvery) ?? c.CheckpointEvery,
            };
            c = c with { Dp = dpOptions.Apply(parsed, c.Dp) };
            var canaries = parsed.GetValue(canary);
            if (canaries is { Length: > 0 }) c = c with { Canaries = canaries.Select(CanaryPlan.Request.Parse).ToList() };
            if (parsed.GetValue(printConfig))
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
