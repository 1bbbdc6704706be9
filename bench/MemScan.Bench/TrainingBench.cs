using MemScan.Scanner.Tokenizers;
using MemScan.Trainer.Models;
using MemScan.Trainer.Privacy;
using MemScan.Trainer.Training;
using static TorchSharp.torch;

namespace MemScan.Bench;

/// <summary>
/// Trainer throughput with the trainers' default shapes and a few steps each (the rate includes the
/// first, slower steps, as a real run's log does): char-LSTM chars/s (standard and DP-SGD), GPT
/// tokens/s, CNN images/s (standard and DP-SGD, on random 28×28 images: same compute as
/// Fashion-MNIST, no dataset needed).
/// </summary>
public static class TrainingBench
{
    public static IReadOnlyList<Measured> Run(BenchOptions o, TextWriter log)
    {
        var rows = new List<Measured>();
        string text = TrainingCorpus.Load("moby-dick", 200_000).Text;
        var chars = CharTokenizer.FromText(text, minCount: 1, mustInclude: "0123456789");
        var lstm = new LmTrainConfig { Corpus = "moby-dick", MaxChars = 200_000, Steps = 20, Hidden = o.Hidden, Seed = 3, Threads = o.Threads, Canaries = [] };
        log.WriteLine("training: char-LSTM ...");
        var l = LmTrainer.Train(text, chars, lstm);
        rows.Add(new Measured($"char-LSTM standard (hidden {o.Hidden}, {lstm.BatchSize}×{lstm.SequenceLength})", l.CharsPerSecond, $"chars/s, {l.Steps} steps, {l.Seconds:F1}s"));
        var lstmDp = lstm with { Mode = LmTrainConfig.DpSgd, Steps = 5, Dp = new DpConfig { NoiseMultiplier = 1.0 } };
        log.WriteLine("training: char-LSTM DP-SGD ...");
        var ld = LmTrainer.Train(text, chars, lstmDp);
        rows.Add(new Measured("char-LSTM DP-SGD (per-example clipping)", ld.CharsPerSecond, $"chars/s, {ld.Steps} steps, {ld.Seconds:F1}s"));

        log.WriteLine("training: GPT ...");
        var tokenizer = Gpt2BpeTokenizer.CreateDefault();
        var ids = tokenizer.Encode(TrainingCorpus.Load("spam-assassin", 100_000).Text).Select(i => (long)i).ToArray();
        var gpt = new GptTrainConfig { Steps = 6, Dim = o.GptDim, Layers = o.GptLayers, Seed = 3, Threads = o.Threads, Canaries = [] };
        var g = GptTrainer.Train(ids, GptShape.Gpt2Vocab, gpt);
        rows.Add(new Measured($"GPT {gpt.Layers}x{gpt.Dim} ({gpt.BatchSize}×{gpt.SequenceLength}, vocab 50,257)", g.TokensPerSecond, $"tokens/s, {g.Steps} steps, {g.Seconds:F1}s"));
        log.WriteLine("training: GPT DP-SGD ...");
        var gd = GptTrainer.Train(ids, GptShape.Gpt2Vocab, gpt with { Mode = LmTrainConfig.DpSgd, Steps = 6, Dp = new DpConfig { NoiseMultiplier = 1.0 } });
        rows.Add(new Measured("GPT DP-SGD (per-example clipping)", gd.TokensPerSecond, $"tokens/s, {gd.Steps} steps, {gd.Seconds:F1}s"));

        var shape = new CnnShape(1, 28, 28, 10, 16, 32, 128, 0);
        manual_seed(3);
        using var images = randn(1024, 1, 28, 28);
        var labels = Enumerable.Range(0, 1024).Select(i => (long)(i % 10)).ToArray();
        using var none = zeros(0, 1, 28, 28);
        var cnn = new CnnTrainConfig { Epochs = 2, BatchSize = 64, Threads = o.Threads, Seed = 3 };
        log.WriteLine("training: CNN ...");
        var c = CnnTrainer.Train(shape, images, labels, none, [], cnn, 3);
        rows.Add(new Measured("CNN standard (1×28×28, batch 64)", c.ImagesPerSecond, $"images/s, {c.Steps} steps, {c.Seconds:F1}s"));
        using var dpImages = images.narrow(0, 0, 512);
        var dpLabels = labels[..512];
        var cd = CnnTrainer.Train(shape, dpImages, dpLabels, none, [], cnn with { Mode = CnnTrainConfig.DpSgd, Epochs = 1 }, 3);
        rows.Add(new Measured("CNN DP-SGD (per-example clipping, q=64/512)", cd.ImagesPerSecond, $"images/s, {cd.Steps} steps, {cd.Seconds:F1}s"));
        return rows;
    }
}
