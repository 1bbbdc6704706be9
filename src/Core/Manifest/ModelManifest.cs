using System.Text.Json;
using System.Text.Json.Serialization;
using MemScan.Scanner.Canaries;

namespace MemScan.Scanner.Manifest;

/// <summary>
/// <c>model.memscan.json</c>: what the Trainer knows about a model that a scan needs — how to
/// tokenize, which tensors carry state, the canaries with their secrets and insertion counts, and
/// how the model was trained. Third-party models have none; the CLI options stand in for it.
/// </summary>
public sealed record ModelManifest
{
    public const string CurrentFormat = "memscan-manifest/1";
    public const string FileSuffix = ".memscan.json";

    public string Format { get; init; } = CurrentFormat;
    /// <summary>"language-model" or "classifier".</summary>
    public string Kind { get; init; } = "language-model";
    /// <summary>e.g. "char-lstm", "gpt", "cnn".</summary>
    public string Architecture { get; init; } = "";
    /// <summary>The ONNX file's name, relative to the manifest.</summary>
    public string ModelFile { get; init; } = "";
    public string? ModelSha256 { get; init; }
    public TokenizerSpec? Tokenizer { get; init; }
    public LmIoSpec? Io { get; init; }
    /// <summary>Classifiers: tensor names, input geometry, preprocessing, classes.</summary>
    public ClassifierSpec? Classifier { get; init; }
    /// <summary>Classifiers: the examples file (members, held-out non-members, canaries), relative to the manifest.</summary>
    public string? ExamplesFile { get; init; }
    public List<CanaryRecord> Canaries { get; init; } = [];
    public TrainingRecord Training { get; init; } = new();
    /// <summary>Text samples that were (and were not) trained on, for discoverable memorization and membership inference.</summary>
    public SampleFiles? Samples { get; init; }
    /// <summary>Architecture hyper-parameters (layers, hidden size, ...), for the record.</summary>
    public Dictionary<string, double> Hyper { get; init; } = [];
    /// <summary>Snapshots (OUT/snapshots/STEP/): where in training this model was taken; null for a finished model.</summary>
    public SnapshotRecord? Snapshot { get; init; }
    /// <summary>Random-label pre-training followed by fine-tuning (memscan-train cnn --pretrain): both phases.</summary>
    public PretrainingRecord? Pretraining { get; init; }

    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        MaxDepth = 32,
    };

    /// <summary>Where the manifest of <paramref name="modelPath"/> lives: model.onnx → model.memscan.json.</summary>
    public static string PathFor(string modelPath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath))!,
            Path.GetFileNameWithoutExtension(modelPath) + FileSuffix);

    public const long MaxBytes = 64L << 20;

    public static ModelManifest Load(string path)
    {
        string text = InputFile.ReadAllText(path, "manifest", MaxBytes);
        ModelManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ModelManifest>(text, Json);
        }
        catch (JsonException e)
        {
            throw new MemScanException($"manifest {path} is not valid JSON: {e.Message}");
        }
        if (manifest is null) throw new MemScanException($"manifest {path} is empty");
        if (manifest.Format != CurrentFormat)
            throw new MemScanException($"manifest {path} has format '{manifest.Format}'; this MemScan reads '{CurrentFormat}'");
        manifest.Validate(path);
        return manifest;
    }

    /// <summary>
    /// Writes the manifest atomically and owner-only (<see cref="Results.AtomicFile"/>): it holds the
    /// canaries' secrets, which must not become readable to other users of the machine.
    /// </summary>
    public void Save(string path) => Results.AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    void Validate(string path)
    {
        if (Kind is not ("language-model" or "classifier"))
            throw new MemScanException($"manifest {path}: kind must be language-model or classifier, got '{Kind}'");
        Io?.Validate($"manifest {path}");
        foreach (var c in Canaries) c.ToCanary(path);
        if (Canaries.Select(c => c.Id).Distinct().Count() != Canaries.Count)
            throw new MemScanException($"manifest {path}: canary ids are not unique");
    }

    /// <summary>
    /// A file the manifest names, resolved inside the manifest's folder: third-party manifests are
    /// untrusted, so absolute paths, '..' and symlinks leading out are refused.
    /// </summary>
    public static string ResolveFile(string manifestPath, string relative, string what)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
        var (path, error) = Onnx.SafeModelPath.Resolve(dir, relative);
        if (path is null) throw new MemScanException($"manifest {manifestPath}: {what} '{relative}' is refused: {error}");
        if (!File.Exists(path)) throw new MemScanException($"manifest {manifestPath}: {what} {path} does not exist");
        return path;
    }

    public IReadOnlyList<Canary> LoadCanaries(string path = "manifest") => Canaries.Select(c => c.ToCanary(path)).ToList();
}

/// <summary>
/// A classifier's interface: <see cref="Input"/> float [batch, C, H, W] → <see cref="Logits"/>
/// [batch, classes], optionally <see cref="Embedding"/> [batch, D] (penultimate layer). Pixels in
/// [0,1] are normalised per channel as (x - mean) / std before the model sees them.
/// </summary>
public sealed record ClassifierSpec
{
    public string Input { get; init; } = "images";
    public string Logits { get; init; } = "logits";
    public string? Embedding { get; init; }
    public int Channels { get; init; } = 1;
    public int Height { get; init; } = 28;
    public int Width { get; init; } = 28;
    public int Classes { get; init; } = 10;
    public List<double> Mean { get; init; } = [0];
    public List<double> Std { get; init; } = [1];
    public List<string> ClassNames { get; init; } = [];
    /// <summary>Dataset the model was trained on, e.g. "fashion-mnist".</summary>
    public string Dataset { get; init; } = "";
}

/// <summary>Files of training samples (members) and held-out samples of the same source (non-members).</summary>
public sealed record SampleFiles
{
    public string? Members { get; init; }
    public string? NonMembers { get; init; }
}

/// <summary>How text becomes token ids. Kind "char": <see cref="Symbols"/> holds the vocabulary.</summary>
public sealed record TokenizerSpec
{
    /// <summary>"char", "gpt2-bpe", "tiktoken", "sentencepiece", "wordpiece", "tokenizer-json" (a Hugging Face tokenizer.json).</summary>
    public string Kind { get; init; } = "char";
    public string? Symbols { get; init; }
    /// <summary>Tokenizer files relative to the manifest (BPE vocab/merges, tiktoken ranks, WordPiece vocab.txt, ...).</summary>
    public List<string> Files { get; init; } = [];
}

/// <summary>Tensor names of a language model; state pairs make incremental decoding possible.</summary>
public sealed record LmIoSpec
{
    public string InputIds { get; init; } = "input_ids";
    public string Logits { get; init; } = "logits";
    public List<StatePair> State { get; init; } = [];
    /// <summary>
    /// The most tokens the model can see at once (a transformer's position table); null when it
    /// has no limit (LSTMs) or when the graph should tell (see OnnxLmBinding). Written by the
    /// Trainer for its GPTs; a profile may set it for a third-party model MemScan cannot read it from.
    /// </summary>
    public int? Context { get; init; }

    /// <summary>Refuses values no model can have; <paramref name="where"/> names the file.</summary>
    public void Validate(string where)
    {
        if (Context is < 1)
            throw new MemScanException($"{where}: io.context must be a positive number of tokens, got {Context}");
    }
}

/// <summary>A recurrent state tensor: fed as <see cref="Input"/>, returned as <see cref="Output"/>.
/// Shape [layers, batch, size] for LSTM state.</summary>
public sealed record StatePair(string Input, string Output);

public sealed record CanaryRecord
{
    public string Id { get; init; } = "";
    public string Template { get; init; } = "";
    public string Secret { get; init; } = "";
    public string Space { get; init; } = "";
    public int Insertions { get; init; }

    public Canary ToCanary(string path)
    {
        RandomnessSpace space;
        try { space = RandomnessSpace.Parse(Space); }
        catch (MemScanException e) { throw new MemScanException($"manifest {path}: canary '{Id}': {e.Message}"); }
        try { return Canary.Create(Id, Template, Secret, space, Insertions); }
        catch (MemScanException e) { throw new MemScanException($"manifest {path}: {e.Message}"); }
    }

    public static CanaryRecord From(Canary c) => new()
    {
        Id = c.Id, Template = c.Template, Secret = c.Secret, Space = c.Space.ToString(), Insertions = c.Insertions,
    };
}

/// <summary>How the model was trained: enough to reproduce it and to judge its findings.</summary>
public sealed record TrainingRecord
{
    public string Corpus { get; init; } = "";
    public string? CorpusSha256 { get; init; }
    public long CorpusChars { get; init; }
    public int Seed { get; init; }
    /// <summary>"standard", "dp-sgd", "random-labels".</summary>
    public string Mode { get; init; } = "standard";
    /// <summary>Random-label training: the fraction of training labels replaced by random ones.</summary>
    public double? RandomLabelFraction { get; init; }
    public long Steps { get; init; }
    public int BatchSize { get; init; }
    public int SequenceLength { get; init; }
    public double LearningRate { get; init; }
    public double FinalLoss { get; init; }
    public double Seconds { get; init; }
    public string Trainer { get; init; } = "";

    /// <summary>Standard mode: the batch gradient's clip norm. DP-SGD: the per-example clip norm C.</summary>
    public double? ClipNorm { get; init; }
    /// <summary>DP-SGD: σ, the noise standard deviation in units of <see cref="ClipNorm"/>.</summary>
    public double? NoiseMultiplier { get; init; }
    /// <summary>DP-SGD: Poisson sampling rate q (expected batch / examples).</summary>
    public double? SamplingRate { get; init; }
    /// <summary>DP-SGD: "poisson".</summary>
    public string? Sampling { get; init; }
    /// <summary>DP-SGD: the ε the accountant gives at <see cref="Delta"/> for all steps, per example (one training sequence).</summary>
    public double? Epsilon { get; init; }
    public double? Delta { get; init; }
    /// <summary>DP-SGD: how ε was computed, e.g. "rdp-sampled-gaussian/improved-conversion (order 12)".</summary>
    public string? Accountant { get; init; }
    public double? Dropout { get; init; }
    public double? WeightDecay { get; init; }
    /// <summary>"target", "reference" (random half of the units) or "clean-reference" (target's documents, no canaries).</summary>
    public string? Role { get; init; }
    /// <summary>This model's name in the membership table ("target", "ref-00", …).</summary>
    public string? MembershipModel { get; init; }
    /// <summary>The membership table (membership.parquet), relative to this manifest.</summary>
    public string? MembershipFile { get; init; }
    /// <summary>The units table (units.parquet), relative to this manifest.</summary>
    public string? UnitsFile { get; init; }
}
