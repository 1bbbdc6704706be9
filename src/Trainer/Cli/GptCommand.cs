using System.CommandLine;
using MemScan.Scanner;
using MemScan.Trainer.Canaries;
using MemScan.Trainer.Training;

namespace MemScan.Trainer.Cli;

/// <summary><c>memscan-train gpt</c>: train a small GPT (GPT-2 BPE) with canaries and export it with HF GPT-2 style I/O.</summary>
public static class GptCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = "JSON training config; options below override it" };
        var corpus = new Option<string?>("--corpus") { Description = "spam-assassin (default), moby-dick or sotu" };
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "output folder for model.onnx, model.memscan.json, vocab.json, merges.txt", DefaultValueFactory = _ => new DirectoryInfo("models/gpt") };
        var steps = new Option<int?>("--steps") { Description = "optimizer steps" };
        var seed = new Option<int?>("--seed") { Description = "random seed (weights, windows, secrets)" };
        var maxChars = new Option<int?>("--max-chars") { Description = "characters of corpus text to train on" };
        var dim = new Option<int?>("--dim") { Description = "model width" };
        var layers = new Option<int?>("--layers") { Description = "transformer blocks" };
        var heads = new Option<int?>("--heads") { Description = "attention heads (must divide --dim)" };
        var context = new Option<int?>("--context") { Description = "learned positions (longest readable sequence)" };
        var batch = new Option<int?>("--batch") { Description = "sequences per step" };
        var seqLen = new Option<int?>("--seq-len") { Description = "tokens per training sequence (<= --context)" };
        var lr = new Option<double?>("--lr") { Description = "AdamW learning rate" };
        var threads = new Option<int?>("--threads") { Description = "torch CPU threads (0 = all)" };
        var canary = new Option<string[]>("--canary")
        {
            Description = "ID|TEMPLATE|SPACE|INSERTIONS, e.g. 'pin|my PIN is {secret}|digits:6|16' (repeatable; replaces the default set)",
            AllowMultipleArgumentsPerToken = false,
        };
        var mode = new Option<string?>("--mode") { Description = "standard (default) or dp-sgd (per-example gradients: slow with the 50,257-token head)" };
        var dpOptions = new DpOptions();
        var dropout = new Option<double?>("--dropout") { Description = "embedding and residual dropout in training" };
        var weightDecay = new Option<double?>("--weight-decay") { Description = "AdamW weight decay (default 0)" };
        var references = new Option<int?>("--references") { Description = "train N reference models on random halves of the units, plus ref-clean" };
        var holdout = new Option<double?>("--holdout") { Description = "share of lines held out of the target as non-members" };
        var checkpointEvery = new Option<int?>("--checkpoint-every") { Description = "save OUT/checkpoint/ every N steps" };
        var resume = new Option<bool>("--resume") { Description = "continue from the last checkpoint in OUT/checkpoint/" };
        var printConfig = new Option<bool>("--print-config") { Description = "print the effective config as JSON and exit" };

        var command = new Command("gpt", "Train a small GPT-style transformer LM (GPT-2 BPE) with inserted canaries and export it to ONNX with GPT-2 style past_key_values")
        {
            config, corpus, output, steps, seed, maxChars, dim, layers, heads, context, batch, seqLen, lr, threads, canary,
            mode, dropout, weightDecay, references, holdout, checkpointEvery, resume, printConfig,
        };
        foreach (var option in dpOptions.All) command.Options.Add(option);
        command.SetAction(parsed =>
        {
            var file = parsed.GetValue(config);
            var c = file is null ? new GptTrainConfig() : GptTrainConfig.Load(file.FullName);
            c = c with
            {
                Corpus = parsed.GetValue(corpus) ?? c.Corpus,
                Steps = parsed.GetValue(steps) ?? c.Steps,
                Seed = parsed.GetValue(seed) ?? c.Seed,
                MaxChars = parsed.GetValue(maxChars) ?? c.MaxChars,
                Dim = parsed.GetValue(dim) ?? c.Dim,
                Layers = parsed.GetValue(layers) ?? c.Layers,
                Heads = parsed.GetValue(heads) ?? c.Heads,
                Context = parsed.GetValue(context) ?? c.Context,
                BatchSize = parsed.GetValue(batch) ?? c.BatchSize,
                SequenceLength = parsed.GetValue(seqLen) ?? c.SequenceLength,
                LearningRate = parsed.GetValue(lr) ?? c.LearningRate,
                Threads = parsed.GetValue(threads) ?? c.Threads,
                CheckpointEvery = parsed.GetValue(checkpointEvery) ?? c.CheckpointEvery,
                Mode = parsed.GetValue(mode) ?? c.Mode,
                Dropout = parsed.GetValue(dropout) ?? c.Dropout,
                WeightDecay = parsed.GetValue(weightDecay) ?? c.WeightDecay,
                References = parsed.GetValue(references) ?? c.References,
                HoldoutFraction = parsed.GetValue(holdout) ?? c.HoldoutFraction,
            };
            c = c with { Dp = dpOptions.Apply(parsed, c.Dp) };
            var canaries = parsed.GetValue(canary);
            if (canaries is { Length: > 0 }) c = c with { Canaries = canaries.Select(CanaryPlan.Request.Parse).ToList() };
            if (parsed.GetValue(printConfig))
            {
                Console.WriteLine(c.ToJson());
                return 0;
            }
            GptPipeline.Run(c, parsed.GetValue(output)!.FullName, Console.Out, resume: parsed.GetValue(resume));
            return 0;
        });
        return command;
    }
}
