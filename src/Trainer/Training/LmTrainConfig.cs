using System.Text.Json;
using System.Text.Json.Serialization;
using MemScan.Scanner;
using MemScan.Trainer.Canaries;

namespace MemScan.Trainer.Training;

/// <summary>Everything that determines a trained char-level LM; read from --config JSON, overridden by options.</summary>
public sealed record LmTrainConfig
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

    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static LmTrainConfig Load(string path)
    {
        if (!File.Exists(path)) throw new MemScanException($"config {path} does not exist");
        try
        {
            return JsonSerializer.Deserialize<LmTrainConfig>(File.ReadAllText(path), Json)
                ?? throw new MemScanException($"config {path} is empty");
        }
        catch (JsonException e)
        {
            throw new MemScanException($"config {path} is not a valid LM training config: {e.Message}");
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public void Validate()
    {
        void Check(bool ok, string what) { if (!ok) throw new MemScanException($"invalid training config: {what}"); }
        Check(Steps > 0, $"steps must be > 0, got {Steps}");
        Check(BatchSize > 0, $"batch_size must be > 0, got {BatchSize}");
        Check(SequenceLength >= 2, $"sequence_length must be >= 2, got {SequenceLength}");
        Check(LearningRate > 0, $"learning_rate must be > 0, got {LearningRate}");
        Check(Hidden > 0 && Embedding > 0 && Layers > 0, "hidden, embedding and layers must be > 0");
        Check(MaxChars > SequenceLength * 2, $"max_chars ({MaxChars}) must exceed twice the sequence length");
    }
}
