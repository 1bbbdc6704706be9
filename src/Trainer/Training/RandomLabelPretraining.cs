using MemScan.Scanner.Manifest;
using MemScan.Trainer.Models;
using MemScan.Trainer.Privacy;
using TorchSharp;
using static TorchSharp.torch;

namespace MemScan.Trainer.Training;

/// <summary>
/// Random-label pre-training (Pondenkandath et al. 2018, "Leveraging Random Label Memorization for
/// Unsupervised Pre-Training"; Maennel et al. 2020): the model first fits uniformly random labels
/// of its own training images for <c>pretrain_epochs</c> epochs (Adam, shuffled batches, its own
/// optimizer state), then its last layer is re-initialized (head "new") or kept, and ordinary
/// training on the true labels follows with a fresh optimizer. Labels, batch order, dropout masks
/// and the new head all come from the model's seed.
/// </summary>
public static class RandomLabelPretraining
{
    public static PretrainingRecord Run(SmallCnn model, Tensor images, int classes, CnnTrainConfig config, int seed, TextWriter? log, string name)
    {
        int n = (int)images.shape[0], b = Math.Min(config.BatchSize, n);
        var labelRandom = new Random(seed ^ 0x7a11ab1e);
        var randomLabels = Enumerable.Range(0, n).Select(_ => (long)labelRandom.Next(classes)).ToArray();
        using var y = tensor(randomLabels);
        using var optimizer = optim.Adam(model.parameters(), config.LearningRate);
        var order = Enumerable.Range(0, n).Select(i => (long)i).ToArray();
        var random = new Random(seed ^ 0x9e7a);
        var progress = new TrainingProgress(log, name + " pretrain", "epoch", config.PretrainEpochs, 0, n, "images");
        double loss = double.NaN;
        long step = 0;
        model.train();
        for (int epoch = 1; epoch <= config.PretrainEpochs; epoch++)
        {
            random.Shuffle(order);
            double sum = 0;
            for (int start = 0; start < n; start += b)
            {
                using var scope = NewDisposeScope();
                if (config.Dropout > 0) torch.manual_seed(StepSeed.For(seed, ++step, salt: 0x9e7b));
                var idx = tensor(order.AsSpan(start, Math.Min(b, n - start)).ToArray());
                optimizer.zero_grad();
                var batchLoss = nn.functional.cross_entropy(model.forward(images.index_select(0, idx)), y.index_select(0, idx));
                batchLoss.backward();
                optimizer.step();
                sum += batchLoss.item<float>() * idx.shape[0];
            }
            loss = sum / n;
            progress.Report(epoch, loss);
        }
        double accuracy = CnnTrainer.Accuracy(model, images, randomLabels);
        if (config.PretrainHead == CnnTrainConfig.NewHead)
        {
            torch.manual_seed(StepSeed.For(seed, 0, salt: 0x4ead));
            using var fresh = nn.Linear(model.fc2.in_features, model.fc2.out_features);
            using var _ = no_grad();
            model.fc2.weight!.copy_(fresh.weight!);
            model.fc2.bias!.copy_(fresh.bias!);
        }
        model.train();
        log?.WriteLine($"  {name}: pre-trained {config.PretrainEpochs} epochs on random labels (loss {loss:F3}, fits {accuracy:P1} of them), head {config.PretrainHead}");
        return new PretrainingRecord
        {
            Kind = CnnTrainConfig.RandomLabels, Epochs = config.PretrainEpochs, FinalLoss = loss, TrainAccuracy = accuracy,
            Head = config.PretrainHead, FineTuneEpochs = config.Epochs,
        };
    }
}
