using System.Text.Json;
using System.Text.Json.Serialization;
using MemScan.Scanner;
using MemScan.Trainer.Canaries;
using MemScan.Trainer.Models;
using MemScan.Trainer.Privacy;

namespace MemScan.Trainer.Training;

/// <summary>
/// Everything that determines a trained GPT LM; read from --config JSON, overridden by options.
/// The defaults train in about 1.5 minutes on two lightly loaded CPU cores (~900 tokens/s): the tied
/// 50,257-token head dominates the cost, so steps × batch × sequence length is the budget.
/// </summary>
public sealed record GptTrainConfig : ILmTrainingSettings
{
    public string Corpus { get; init; } = "spam-assassin";
    /// <summary>Training text is cut to this many characters (before canaries are inserted).</summary>
    public int MaxChars { get; init; } = 300_000;
    public int Seed { get; init; } = 42;
    public int Steps { get; init; } = 150;
    public int BatchSize { get; init; } = 8;
    /// <summary>Tokens per training sequence; at most <see cref="Context"/>.</summary>
    public int SequenceLength { get; init; } = 64;
    public double LearningRate { get; init; } = 2e-3;
    public int Dim { get; init; } = 128;
    public int Layers { get; init; } = 2;
    public int Heads { get; init; } = 4;
    /// <summary>Key/value heads (grouped-query attention when below <see cref="Heads"/>); 0 = as many as heads.</summary>
    public int KvHeads { get; init; } = 0;
    /// <summary>Rotary position embeddings (RoPE) instead of a learned position table.</summary>
    public bool Rotary { get; init; } = false;
    /// <summary>Learned positions: the longest sequence the model can read.</summary>
    public int Context { get; init; } = 128;
    public double ClipNorm { get; init; } = 1.0;
    public int Threads { get; init; } = 0;
    public List<CanaryPlan.Request> Canaries { get; init; } = [.. CanaryPlan.Default];
    /// <summary>Save a checkpoint every this many steps (0 = never); <c>--resume</c> continues from it.</summary>
    public int CheckpointEvery { get; init; } = 0;
    /// <summary>Write OUT/snapshots/STEP/ (model.onnx + manifest) every this many steps and at the last (0 = never).</summary>
    public int SnapshotEvery { get; init; } = 0;

    /// <summary>"standard" (AdamW on random windows, batch gradient clipped to <see cref="ClipNorm"/>) or "dp-sgd" (see <see cref="Dp"/>).</summary>
    public string Mode { get; init; } = LmTrainConfig.Standard;
    /// <summary>DP-SGD settings; required when <see cref="Mode"/> is "dp-sgd".</summary>
    public DpConfig? Dp { get; init; }
    /// <summary>Embedding and residual dropout in training (0 = none, the default: the model should memorize).</summary>
    public double Dropout { get; init; } = 0;
    /// <summary>AdamW's decoupled weight decay (0 = none; decay would also pull the tied embedding).</summary>
    public double WeightDecay { get; init; } = 0;
    /// <summary>Reference models beside the target, each on a random half of the units (lines and canaries).</summary>
    public int References { get; init; } = 0;
    /// <summary>Share of the corpus's lines held out of the target's training, as non-members for membership inference.</summary>
    public double HoldoutFraction { get; init; } = 0;

    public GptShape Shape(int vocab) => new(vocab, Context, Dim, Layers, Heads, Dropout, KvHeads, Rotary);

    public static GptTrainConfig Load(string path) => ConfigFile.Load<GptTrainConfig>(path, "GPT training config");

    public string ToJson() => ConfigFile.ToJson(this);

    /// <summary>
    /// What a checkpoint must match to be resumed: the config without threads and checkpoint cadence,
    /// plus the token stream it trains on. The step count is left out (a run may be extended) except
    /// under a DP target epsilon, where it sets the noise of every step.
    /// </summary>
    public string Fingerprint(long[] ids) =>
        ConfigFile.Fingerprint(this with { Steps = Mode == LmTrainConfig.DpSgd && Dp?.TargetEpsilon is not null ? Steps : 0, Threads = 0, CheckpointEvery = 0, SnapshotEvery = 0 },
            ConfigFile.Sha256Of(System.Runtime.InteropServices.MemoryMarshal.AsBytes(ids.AsSpan())));

    public void Validate()
    {
        void Check(bool ok, string what) { if (!ok) throw new MemScanException($"invalid training config: {what}"); }
        Check(Steps > 0, $"steps must be > 0, got {Steps}");
        Check(BatchSize > 0, $"batch_size must be > 0, got {BatchSize}");
        Check(SequenceLength >= 2, $"sequence_length must be >= 2, got {SequenceLength}");
        Check(SequenceLength <= Context, $"sequence_length ({SequenceLength}) must not exceed context ({Context})");
        Check(LearningRate > 0, $"learning_rate must be > 0, got {LearningRate}");
        Check(MaxChars > 0, $"max_chars must be > 0, got {MaxChars}");
        Check(CheckpointEvery >= 0, $"checkpoint_every must be >= 0, got {CheckpointEvery}");
        Check(SnapshotEvery >= 0, $"snapshot_every must be >= 0, got {SnapshotEvery}");
        Check(Mode is LmTrainConfig.Standard or LmTrainConfig.DpSgd, $"mode must be '{LmTrainConfig.Standard}' or '{LmTrainConfig.DpSgd}', got '{Mode}'");
        Check(Mode != LmTrainConfig.DpSgd || Dp is not null, "mode 'dp-sgd' needs a dp block (noise_multiplier or target_epsilon, clip_norm, delta)");
        if (Mode == LmTrainConfig.DpSgd) Dp!.Validate();
        Check(WeightDecay >= 0, $"weight_decay must be >= 0, got {WeightDecay}");
        Check(References is >= 0 and <= 99, $"references must be in 0..99, got {References}");
        Check(HoldoutFraction is >= 0 and < 1, $"holdout_fraction must be in [0, 1), got {HoldoutFraction}");
        Shape(GptShape.Gpt2Vocab).Validate();
    }
}
