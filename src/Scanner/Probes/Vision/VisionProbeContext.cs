using MemScan.Scanner.Models;
using MemScan.Scanner.Vision;

namespace MemScan.Scanner.Probes.Vision;

/// <summary>
/// What a vision scan hands each of its probes (<see cref="ScanProbe{TContext}"/>). It is built in
/// two steps: the plan's part first (all <see cref="ScanProbe{TContext}.Settings"/> reads, since
/// run.json is written before the model loads), then the model, the examples and the shared
/// predictions once the model is open.
/// </summary>
public sealed record VisionProbeContext
{
    // The plan's part: what the settings record.
    /// <summary>The examples with known membership (absolute path), or null.</summary>
    public string? ExamplesPath { get; init; }
    /// <summary>Whether the reference models beside the examples are used (--no-references turns them off).</summary>
    public bool UseReferences { get; init; } = true;
    /// <summary>An inner tensor exposed as the embedding output (--add-embedding-output), or null.</summary>
    public string? EmbeddingOutput { get; init; }
    /// <summary>--images as given (null: the default images, if any).</summary>
    public string? Images { get; init; }
    public string? LabelsPath { get; init; }
    public int MaxImages { get; init; }
    public MembershipSettings Membership { get; init; } = new();
    public AuditSettings Audit { get; init; } = new();
    public MemorizationSettings Memorization { get; init; } = new();
    public Action<string> Log { get; init; } = _ => { };

    // Set once the model is open.
    public OnnxClassifier Model { get; init; } = null!;
    public ClassifierProfile Profile { get; init; } = null!;
    /// <summary>The examples with known membership, when a probe that needs them was asked for.</summary>
    public ExampleSet? Examples { get; init; }
    /// <summary>The target's and the reference models' predictions on the examples: computed once, for all probes that need them.</summary>
    public Lazy<FamilyPredictions>? Family { get; init; }
    /// <summary>The ε the manifest claims for DP training, checked by the canary audit.</summary>
    public double? ClaimedEpsilon { get; init; }
    /// <summary>The manifest's training mode ("" without one).</summary>
    public string TrainingMode { get; init; } = "";
    /// <summary>Where the prediction statistics' images come from (null: none).</summary>
    public string? ImagesSpec { get; init; }

    /// <summary>The shared predictions; only probes that passed <see cref="ScanProbe{TContext}.CannotRun"/> with examples ask.</summary>
    public FamilyPredictions Predictions => (Family ?? throw new InvalidOperationException("no examples: the family's predictions were not set up")).Value;
}

/// <summary>The target's predictions on the examples and each reference model's.</summary>
public sealed record FamilyPredictions(ModelPredictions Target, IReadOnlyList<ModelPredictions> References);
