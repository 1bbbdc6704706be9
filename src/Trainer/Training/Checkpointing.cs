namespace MemScan.Trainer.Training;

/// <summary>
/// Where and how often a training run checkpoints, and whether it starts from the last checkpoint.
/// <see cref="Every"/> counts the trainer's own unit: optimizer steps for the LMs, epochs for the CNN.
/// </summary>
public sealed record Checkpointing(string Directory, int Every, bool Resume)
{
    /// <summary>Save after <paramref name="done"/> units: every <see cref="Every"/> and always at the last one.</summary>
    public bool SaveAfter(long done, long total) => Every > 0 && (done % Every == 0 || done == total);

    /// <summary>The checkpointing a model trained into <paramref name="modelDir"/> gets, or null when there is none to do.</summary>
    public static Checkpointing? For(string modelDir, int every, bool resume) =>
        every > 0 || resume ? new Checkpointing(Path.Combine(modelDir, "checkpoint"), every, resume) : null;
}
