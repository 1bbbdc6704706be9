using MemScan.Trainer.Privacy;
using static TorchSharp.torch;

namespace MemScan.Trainer.Snapshots;

/// <summary>
/// When a training run takes a snapshot and what taking one does. <see cref="Every"/> counts the
/// trainer's own unit (steps for the LMs, epochs for the CNN); a snapshot is also taken at the last
/// one. <see cref="Take"/> is called with the model in eval mode and puts it back into train mode,
/// so dropout and gradients of the run are untouched: a run with snapshots ends with the same
/// weights as one without.
/// </summary>
public sealed class SnapshotSchedule<TModel>(int every, Action<TModel, SnapshotPoint> write) where TModel : nn.Module
{
    public int Every => every;

    /// <summary>Snapshot after <paramref name="done"/> units of <paramref name="total"/>.</summary>
    public bool Due(long done, long total) => every > 0 && (done % every == 0 || done == total);

    /// <summary>
    /// Writes the snapshot of <paramref name="model"/> after <paramref name="step"/> with training loss
    /// <paramref name="trainLoss"/>; a DP-SGD run passes its <paramref name="privacy"/> plan and the
    /// snapshot records ε spent through <paramref name="step"/> (optimizer steps).
    /// </summary>
    public void Take(TModel model, long step, double trainLoss, DpPlan? privacy = null)
    {
        var point = SnapshotPoint.At(step, trainLoss, privacy);
        model.eval();
        try
        {
            using (no_grad()) write(model, point);
        }
        finally
        {
            model.train();
        }
    }
}
