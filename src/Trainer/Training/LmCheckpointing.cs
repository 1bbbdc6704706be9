namespace MemScan.Trainer.Training;

/// <summary>Where and how often a training run checkpoints, and whether it starts from the last checkpoint.</summary>
public sealed record LmCheckpointing(string Directory, int Every, bool Resume);
