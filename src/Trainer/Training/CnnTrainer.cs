using System.Diagnostics;
using MemScan.Trainer.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace MemScan.Trainer.Training;

/// <summary>
/// Trains one <see cref="SmallCnn"/> on the given (normalized) images: Adam or AdamW over shuffled
/// mini-batches for a number of epochs, or DP-SGD (<see cref="CnnDpSgd"/>). Deterministic for a seed:
/// initial weights, batch order and dropout masks come from it.
/// </summary>
public static class CnnTrainer
{
    public static CnnTrainingResult Train(CnnShape shape, Tensor images, long[] labels, Tensor testImages, long[] testLabels,
        CnnTrainConfig config, int seed, TextWriter? log = null, string name = "model")
    {
        config.Validate();
        if (config.Threads > 0) torch.set_num_threads(config.Threads);
        torch.manual_seed(seed);
        var model = new SmallCnn(shape);
        using var y = tensor(labels);
        int n = labels.Length;
        if (n == 0) throw new Scanner.MemScanException($"{name} has no training images (pool and canaries drew none)");
        var watch = Stopwatch.StartNew();
        double finalLoss;
        long steps;
        double? epsilon = null;
        string? accountant = null;

        if (config.Mode == CnnTrainConfig.DpSgd)
        {
            var dp = CnnDpSgd.Train(model, images, y, config, seed, log, name);
            (finalLoss, steps, epsilon, accountant) = (dp.FinalLoss, dp.Steps, dp.Epsilon, dp.Accountant);
        }
        else
        {
            (finalLoss, steps) = TrainStandard(model, images, y, config, seed, log, name, watch);
        }
        model.eval();
        double seconds = watch.Elapsed.TotalSeconds;
        double trainAccuracy = Accuracy(model, images, labels);
        double testAccuracy = testLabels.Length > 0 ? Accuracy(model, testImages, testLabels) : double.NaN;
        log?.WriteLine($"  {name}: {n} images, {steps} steps in {seconds:F1}s, loss {finalLoss:F3}, train acc {trainAccuracy:P1}, test acc {testAccuracy:P1}" +
                       (epsilon is { } e ? $", epsilon {e:G4} at delta {config.Delta:G3}" : ""));
        return new CnnTrainingResult(model, finalLoss, steps, seconds, (double)config.Epochs * n / seconds,
            trainAccuracy, testAccuracy, n, epsilon, accountant);
    }

    static (double Loss, long Steps) TrainStandard(SmallCnn model, Tensor images, Tensor y, CnnTrainConfig config, int seed,
        TextWriter? log, string name, Stopwatch watch)
    {
        int n = (int)y.shape[0], b = Math.Min(config.BatchSize, n);
        using optim.Optimizer optimizer = config.WeightDecay > 0
            ? optim.AdamW(model.parameters(), config.LearningRate, weight_decay: config.WeightDecay)
            : optim.Adam(model.parameters(), config.LearningRate);
        var random = new Random(seed);
        var order = Enumerable.Range(0, n).Select(i => (long)i).ToArray();
        int reportEvery = Math.Max(1, config.Epochs / 5);
        double epochLoss = double.NaN;
        long steps = 0;
        model.train();
        for (int epoch = 1; epoch <= config.Epochs; epoch++)
        {
            random.Shuffle(order);
            double sum = 0;
            for (int start = 0; start < n; start += b)
            {
                using var scope = NewDisposeScope();
                var idx = tensor(order.AsSpan(start, Math.Min(b, n - start)).ToArray());
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(model.forward(images.index_select(0, idx)), y.index_select(0, idx));
                loss.backward();
                optimizer.step();
                sum += loss.item<float>() * idx.shape[0];
                steps++;
            }
            epochLoss = sum / n;
            if (epoch % reportEvery == 0 || epoch == config.Epochs)
            {
                double rate = (double)epoch * n / watch.Elapsed.TotalSeconds;
                double eta = (config.Epochs - epoch) * watch.Elapsed.TotalSeconds / epoch;
                log?.WriteLine($"  {name} epoch {epoch,4}/{config.Epochs}  loss {epochLoss:F4}  {rate,8:F0} images/s  eta {eta,4:F0}s");
            }
        }
        return (epochLoss, steps);
    }

    /// <summary>Top-1 accuracy in eval mode, in batches of 512.</summary>
    public static double Accuracy(SmallCnn model, Tensor images, long[] labels)
    {
        if (labels.Length == 0) return double.NaN;
        model.eval();
        long correct = 0;
        using (no_grad())
        {
            for (int start = 0; start < labels.Length; start += 512)
            {
                using var scope = NewDisposeScope();
                int count = Math.Min(512, labels.Length - start);
                var predicted = model.forward(images.narrow(0, start, count)).argmax(1);
                correct += predicted.eq(tensor(labels.AsSpan(start, count).ToArray())).sum().item<long>();
            }
        }
        return (double)correct / labels.Length;
    }
}
