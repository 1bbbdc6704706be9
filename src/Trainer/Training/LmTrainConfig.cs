using System.Text.Json;
using System.Text.Json.Serialization;
using MemScan.Scanner;
using MemScan.Trainer.Canaries;
using MemScan.Trainer.Privacy;

namespace MemScan.Trainer.Training;

/// <summary>Everything that determines a trained char-level LM; read from --config JSON, overridden by options.</summary>
public sealed record LmTrainConfig : ILmTrainingSettings
{
    public string Corpus { get; init; } = "spam-assassin";
    /// <summary>Training text is cut to this many characters (before canaries are inserted).</summary>
    public int MaxChars { get; init; } = 1_000_000;
    public int Seed { get; init; } = 42;
    public int Steps { get; init; } = 1500;
    public int BatchSize { get; init; } = 32;
    public int SequenceLength { get; init; } = 96;
    public double LearningRate { get; init; } = 3e-3;
    public int Embedding { get; init; } = 48;
    public int Hidden { get; init; } = 256;
    public int Layers { get; init; } = 1;
    public double ClipNorm { get; init; } = 1.0;
    public int Threads { get; init; } = 0;
    public List<CanaryPlan.Request> Canaries { get; init; } = [.. CanaryPlan.Default];

    public const string Standard = "standard", DpSgd = "dp-sgd";
    /// <summary>"standard" (Adam on random windows, batch gradient clipped to <see cref="ClipNorm"/>) or "dp-sgd" (see <see cref="Dp"/>).</summary>
    public string Mode { get; init; } = Standard;
    /// <summary>DP-SGD settings; required when <see cref="Mode"/> is "dp-sgd".</summary>
    public DpConfig? Dp { get; init; }
    /// <summary>Dropout on the embeddings, between LSTM layers and on the LSTM output (0 = none).</summary>
    public double Dropout { get; init; } = 0;
    /// <summary>Decoupled weight decay (AdamW); 0 keeps plain Adam.</summary>
    public double WeightDecay { get; init; } = 0;
    /// <summary>Reference models to train beside the target, each on a random half of the units (documents and canaries).</summary>
    public int References { get; init; } = 0;
    /// <summary>Share of the corpus's documents held out of the target's training, as non-members for membership inference.</summary>
    public double HoldoutFraction { get; init; } = 0;
    /// <summary>Save a checkpoint every this many steps (0 = never); <c>--resume</c> continues from it.</summary>
    public int CheckpointEvery { get; init; } = 0;
    /// <summary>Write OUT/snapshots/STEP/ (model.onnx + manifest) every this many steps and at the last (0 = never).</summary>
    public int SnapshotEvery { get; init; } = 0;

    public static LmTrainConfig Load(string path) => ConfigFile.Load<LmTrainConfig>(path, "LM training config");

    public string ToJson() => ConfigFile.ToJson(this);

    /// <summary>
    /// SHA-256 of what determines the trained weights step by step: the config without threads and
    /// checkpoint cadence, plus the training text. The step count is left out (a run may be
    /// extended) except under a DP target epsilon, where it sets the noise of every step.
    /// </summary>
    public string Fingerprint(string trainingText)
    {
        bool stepsSetNoise = Mode == DpSgd && Dp?.TargetEpsilon is not null;
        return ConfigFile.Fingerprint(this with { Steps = stepsSetNoise ? Steps : 0, Threads = 0, CheckpointEvery = 0, SnapshotEvery = 0 }, trainingText);
    }

    public void Validate()
    {
        void Check(bool ok, string what) { if (!ok) throw new MemScanException($"invalid training config: {what}"); }
        Check(Steps > 0, $"steps must be > 0, got {Steps}");
        Check(BatchSize > 0, $"batch_size must be > 0, got {BatchSize}");
        Check(SequenceLength >= 2, $"sequence_length must be >= 2, got {SequenceLength}");
        Check(LearningRate > 0, $"learning_rate must be > 0, got {LearningRate}");
        Check(Hidden > 0 && Embedding > 0 && Layers > 0, "hidden, embedding and layers must be > 0");
        Check(MaxChars > SequenceLength * 2, $"max_chars ({MaxChars}) must exceed twice the sequence length");
        Check(Mode is Standard or DpSgd, $"mode must be '{Standard}' or '{DpSgd}', got '{Mode}'");
        Check(Mode != DpSgd || Dp is not null, "mode 'dp-sgd' needs a dp block (noise_multiplier or target_epsilon, clip_norm, delta)");
        if (Mode == DpSgd) Dp!.Validate();
        Check(Dropout is >= 0 and < 1, $"dropout must be in [0, 1), got {Dropout}");
        Check(WeightDecay >= 0, $"weight_decay must be >= 0, got {WeightDecay}");
        Check(References is >= 0 and <= 99, $"references must be in 0..99, got {References}");
        Check(HoldoutFraction is >= 0 and < 1, $"holdout_fraction must be in [0, 1), got {HoldoutFraction}");
        Check(CheckpointEvery >= 0, $"checkpoint_every must be >= 0, got {CheckpointEvery}");
        Check(SnapshotEvery >= 0, $"snapshot_every must be >= 0, got {SnapshotEvery}");
    }
}
