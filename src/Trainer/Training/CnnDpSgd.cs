using MemScan.Trainer.Checkpoints;
using MemScan.Trainer.Models;
using MemScan.Trainer.Privacy;
using MemScan.Trainer.Snapshots;
using TorchSharp;
using static TorchSharp.torch;

namespace MemScan.Trainer.Training;

/// <summary>
/// The CNN trainer's dp-sgd mode on the shared DP-SGD pieces: Poisson batches over the training
/// images (what the accountant analyses), one image per example in <see cref="DpSgdOptimizer"/>,
/// noise drawn per step from (seed, step), ε from <see cref="RdpAccountant"/>. Batches, noise and
/// dropout masks depend only on (seed, step), so a run resumed from a checkpoint (saved every
/// <c>checkpoint_every</c> epochs' worth of steps) ends with the same weights as an uninterrupted one.
/// </summary>
public static class CnnDpSgd
{
    public sealed record Result(double FinalLoss, long Steps, double Epsilon, string Accountant, double ImagesSeen, DpPlan Plan);

    public static Result Train(SmallCnn model, Tensor images, Tensor labels, CnnTrainConfig config, int seed, TextWriter? log, string name,
        Checkpointing? checkpointing = null, string fingerprint = "", SnapshotSchedule<SmallCnn>? snapshots = null)
    {
        int n = (int)labels.shape[0];
        double q = Math.Min(1.0, (double)config.BatchSize / n);
        long steps = (long)Math.Ceiling(config.Epochs / q);
        var spent = RdpAccountant.Epsilon(q, config.NoiseMultiplier, steps, config.Delta);
        // The plan snapshots cut at their own step to record the ε spent so far.
        var plan = new DpPlan(config.NoiseMultiplier, config.ClipNorm, q, q * n, n, steps, spent, DpConfig.Poisson);
        log?.WriteLine($"  {name} DP-SGD: sigma {config.NoiseMultiplier:G4}, clip {config.ClipNorm:G4}, q {q:G4} (Poisson over {n} images), {steps} steps → epsilon {spent.Epsilon:G4} at delta {config.Delta:G3}");

        var parameters = model.parameters().Where(p => p.requires_grad).ToArray();
        var sampler = new PoissonSampler(n, q, seed);
        var adam = optim.Adam(parameters, config.LearningRate); // disposed by dp
        using var dp = new DpSgdOptimizer(parameters, adam, new DpSgdSettings(config.NoiseMultiplier, config.ClipNorm, sampler.ExpectedBatchSize));
        // checkpoint_every counts epochs; one epoch of Poisson sampling is 1/q steps on average.
        var everySteps = checkpointing is null ? null : checkpointing with { Every = checkpointing.Every == 0 ? 0 : (int)Math.Max(1, Math.Round(checkpointing.Every / q)) };
        var (start, lossEma) = TrainingCheckpoint.StartingPoint(everySteps, model, adam, fingerprint, steps, "step", log, name);

        var snapshotSteps = new Checkpointing("", snapshots is null ? 0 : (int)Math.Max(1, Math.Round(snapshots.Every / q)), false);
        var progress = new TrainingProgress(log, name, "step", steps, start, sampler.ExpectedBatchSize, "images");
        model.train();
        for (long step = start + 1; step <= steps; step++)
        {
            var batch = sampler.Sample(step);
            if (config.Dropout > 0) torch.manual_seed(StepSeed.For(seed, step, salt: 0xc4d1));
            using var noise = new Generator((ulong)StepSeed.For(seed, step, salt: 0xd9));
            var stats = dp.Step(batch.Length,
                i => nn.functional.cross_entropy(model.forward(images.narrow(0, batch[i], 1)), labels.narrow(0, batch[i], 1)), noise);
            if (batch.Length > 0) lossEma = double.IsNaN(lossEma) ? stats.MeanLoss : 0.9 * lossEma + 0.1 * stats.MeanLoss;
            // snapshot_every counts epochs too: a snapshot every round(every / q) steps, numbered by step.
            if (snapshots is not null && snapshotSteps.SaveAfter(step, steps)) snapshots.Take(model, step, lossEma, plan);
            if (everySteps is not null && everySteps.SaveAfter(step, steps))
                TrainingCheckpoint.Save(everySteps.Directory, model, adam, new CheckpointState(step, lossEma, fingerprint));
            progress.Report(step, lossEma);
        }
        return new Result(lossEma, steps, spent.Epsilon, spent.Describe(),
            (steps - start) * sampler.ExpectedBatchSize, plan);
    }
}
