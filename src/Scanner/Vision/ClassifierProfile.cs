using System.Text.Json;
using System.Text.Json.Serialization;
using MemScan.Scanner.Manifest;

namespace MemScan.Scanner.Vision;

/// <summary>
/// How to feed and read an image classifier: the input tensor and its geometry, the per-channel
/// normalization, the logits (or probabilities) output and an optional embedding output. Comes from
/// a MemScan manifest (<see cref="FromManifest"/>) or, for a foreign model, from a profile JSON
/// (<see cref="Load"/>, snake_case keys; see corpora/configs/paddleocr-cls.profile.json).
/// </summary>
public sealed record ClassifierProfile
{
    public const string Logits = "logits", Probabilities = "probabilities";
    public const string Stretch = "stretch", PadRight = "pad-right";

    /// <summary>A name for reports, e.g. "paddleocr text orientation".</summary>
    public string Name { get; init; } = "";
    public string Input { get; init; } = "images";
    /// <summary>The [batch, classes] output.</summary>
    public string Output { get; init; } = "logits";
    /// <summary>"logits" (softmax is applied by MemScan) or "probabilities" (the graph ends in a softmax).</summary>
    public string OutputKind { get; init; } = Logits;
    /// <summary>Optional [batch, D] tensor (penultimate layer) for k-NN probes.</summary>
    public string? Embedding { get; init; }
    public int Channels { get; init; } = 1;
    public int Height { get; init; } = 28;
    public int Width { get; init; } = 28;
    /// <summary>Number of classes; 0 = read from the output's shape.</summary>
    public int Classes { get; init; }
    /// <summary>Per-channel mean and std on [0,1] pixels: the model sees (x - mean) / std. One value applies to all channels.</summary>
    public List<double> Mean { get; init; } = [0];
    public List<double> Std { get; init; } = [1];
    public List<string> ClassNames { get; init; } = [];
    /// <summary>How images of another size are fitted: "stretch" (bilinear to H×W) or "pad-right" (scale to H keeping the aspect ratio, pad the right with zeros; PaddleOCR's recipe).</summary>
    public string Resize { get; init; } = Stretch;
    /// <summary>The --images value used when the scan names none and the model has no examples (e.g. "digit-strips").</summary>
    public string? DefaultImages { get; init; }
    /// <summary>Free text carried into reports (what the classes mean, where the numbers come from).</summary>
    public string? Notes { get; init; }

    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
    };

    /// <summary>The largest profile read: a profile names a few tensors and a normalization.</summary>
    public const long MaxBytes = 1 << 20;

    public static ClassifierProfile Load(string path)
    {
        string text = InputFile.ReadAllText(path, "profile", MaxBytes);
        ClassifierProfile? profile;
        try { profile = JsonSerializer.Deserialize<ClassifierProfile>(text, Json); }
        catch (JsonException e) { throw new MemScanException($"profile {path} is not a valid classifier profile: {e.Message}"); }
        if (profile is null) throw new MemScanException($"profile {path} is empty");
        profile.Validate(path);
        return profile;
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ClassifierProfile FromManifest(ClassifierSpec spec, string name) => new()
    {
        Name = name,
        Input = spec.Input,
        Output = spec.Logits,
        Embedding = spec.Embedding,
        Channels = spec.Channels,
        Height = spec.Height,
        Width = spec.Width,
        Classes = spec.Classes,
        Mean = [.. spec.Mean],
        Std = [.. spec.Std],
        ClassNames = [.. spec.ClassNames],
    };

    public double MeanOf(int channel) => Mean.Count == 1 ? Mean[0] : Mean[channel];
    public double StdOf(int channel) => Std.Count == 1 ? Std[0] : Std[channel];

    public void Validate(string where)
    {
        void Check(bool ok, string what) { if (!ok) throw new MemScanException($"{where}: {what}"); }
        Check(Input.Length > 0 && Output.Length > 0, "input and output names must be given");
        Check(OutputKind is Logits or Probabilities, $"output_kind must be '{Logits}' or '{Probabilities}', got '{OutputKind}'");
        Check(Resize is Stretch or PadRight, $"resize must be '{Stretch}' or '{PadRight}', got '{Resize}'");
        Check(Channels is 1 or 3, $"channels must be 1 or 3, got {Channels}");
        Check(Height is > 0 and <= 4096 && Width is > 0 and <= 4096, $"height and width must be in 1..4096, got {Height}×{Width}");
        Check(Classes >= 0, $"classes must be >= 0, got {Classes}");
        Check(Mean.Count is 1 || Mean.Count == Channels, $"mean needs 1 or {Channels} values, got {Mean.Count}");
        Check(Std.Count is 1 || Std.Count == Channels, $"std needs 1 or {Channels} values, got {Std.Count}");
        Check(Std.All(s => s > 0), $"std values must be > 0, got [{string.Join(", ", Std)}]");
        Check(ClassNames.Count == 0 || Classes == 0 || ClassNames.Count == Classes, $"{ClassNames.Count} class names for {Classes} classes");
    }
}
