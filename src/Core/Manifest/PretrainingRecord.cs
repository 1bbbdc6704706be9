namespace MemScan.Scanner.Manifest;

/// <summary>
/// The two phases of a pre-trained classifier: pre-training on random labels (Maennel et al.'s and
/// Pondenkandath et al.'s setting), then fine-tuning on the true labels with the head kept or
/// re-initialized.
/// </summary>
public sealed record PretrainingRecord
{
    /// <summary>"random-labels".</summary>
    public string Kind { get; init; } = "random-labels";
    public int Epochs { get; init; }
    /// <summary>Mean loss of the last pre-training epoch, in nats.</summary>
    public double FinalLoss { get; init; }
    /// <summary>Accuracy on the random labels the pre-training fitted.</summary>
    public double TrainAccuracy { get; init; }
    /// <summary>"new" (head re-initialized before fine-tuning) or "kept".</summary>
    public string Head { get; init; } = "new";
    /// <summary>Fine-tuning epochs on the true labels (the manifest's training record describes this phase).</summary>
    public int FineTuneEpochs { get; init; }
}
