namespace MemScan.Scanner.Manifest;

/// <summary>
/// A snapshot's place in its training run: the step (or epoch) it was taken after and the losses
/// at that point, so <c>memscan trajectory</c> can plot memorization against generalization.
/// </summary>
public sealed record SnapshotRecord
{
    /// <summary>Optimizer steps (language models) or epochs (CNN) done when the snapshot was taken.</summary>
    public long Step { get; init; }
    /// <summary>"step" or "epoch": what <see cref="Step"/> counts.</summary>
    public string Unit { get; init; } = "step";
    /// <summary>The run's training loss then: the smoothed batch loss (LMs) or the epoch's mean loss (CNN), in nats.</summary>
    public double TrainLoss { get; init; }
    /// <summary>Mean cross-entropy on held-out data (corpus text after the training cut; test images); null when there is none.</summary>
    public double? ValidationLoss { get; init; }
    /// <summary>CNN: top-1 accuracy on the model's own training images then.</summary>
    public double? TrainAccuracy { get; init; }
    /// <summary>CNN: top-1 accuracy on the held-out test images then.</summary>
    public double? ValidationAccuracy { get; init; }
}
