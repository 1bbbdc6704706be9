using System.Diagnostics;
using MemScan.Scanner.Tokenizers;
using MemScan.Trainer.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace MemScan.Trainer.Training;

public sealed record LmTrainingResult(CharLstmLm Model, double FinalLoss, long Steps, double Seconds, double CharsPerSecond);

/// <summary>
/// Trains a char-level LSTM LM on random windows of the (canary-laced) text with Adam and gradient
/// clipping. Deterministic for a seed: the window positions and the initial weights come from it.
/// </summary>
public static class LmTrainer
{
    public static LmTrainingResult Train(string text, CharTokenizer tokenizer, LmTrainConfig config, TextWriter? log = null)
    {
        config.Validate();
        if (config.Threads > 0) torch.set_num_threads(config.Threads);
        torch.manual_seed(config.Seed);
        var model = new CharLstmLm(new CharLstmShape(tokenizer.VocabSize, config.Embedding, config.Hidden, config.Layers));
        var ids = tokenizer.Encode(text).Select(i => (long)i).ToArray();
        var random = new Random(config.Seed);
        using var optimizer = optim.Adam(model.parameters(), config.LearningRate);
        int t = config.SequenceLength, b = config.BatchSize;
        var watch = Stopwatch.StartNew();
        double ema = double.NaN;
        int reportEvery = Math.Max(1, config.Steps / 20);
        var window = new long[b * (t + 1)];

        model.train();
        for (int step = 1; step <= config.Steps; step++)
        {
            using var scope = NewDisposeScope();
            for (int r = 0; r < b; r++)
                Array.Copy(ids, random.NextInt64(ids.Length - t - 1), window, r * (t + 1), t + 1);
            var batch = tensor(window, [b, t + 1]);
            var x = batch.narrow(1, 0, t);
            var y = batch.narrow(1, 1, t);
            optimizer.zero_grad();
            var (logits, _, _) = model.forward(x, null);
            var loss = nn.functional.cross_entropy(logits.reshape(-1, tokenizer.VocabSize), y.reshape(-1));
            loss.backward();
            nn.utils.clip_grad_norm_(model.parameters(), config.ClipNorm);
            optimizer.step();
            double value = loss.item<float>();
            ema = double.IsNaN(ema) ? value : 0.95 * ema + 0.05 * value;
            if (step % reportEvery == 0 || step == config.Steps)
            {
                double rate = (double)step * b * t / watch.Elapsed.TotalSeconds;
                double eta = (config.Steps - step) * watch.Elapsed.TotalSeconds / step;
                log?.WriteLine($"  step {step,6}/{config.Steps}  loss {ema:F3} nats/char  {rate,8:F0} chars/s  eta {eta,5:F0}s");
            }
        }
        model.eval();
        double seconds = watch.Elapsed.TotalSeconds;
        return new LmTrainingResult(model, ema, config.Steps, seconds, (double)config.Steps * b * t / seconds);
    }
}
