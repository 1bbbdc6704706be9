using MemScan.Scanner.Manifest;
using MemScan.Scanner.Models;
using MemScan.Scanner.Onnx;
using MemScan.Scanner.Results;
using MemScan.Scanner.Vision;

namespace MemScan.Scanner.Similarity;

/// <summary>What <c>memscan compare</c> was asked to do.</summary>
public sealed record ComparePlan
{
    public required IReadOnlyList<string> Models { get; init; }
    public required string OutDir { get; init; }
    /// <summary>examples.parquet whose images are the probe set; null = the first model's (manifest examples_file or examples.parquet beside it).</summary>
    public string? ExamplesPath { get; init; }
    /// <summary>Probe images, evenly spaced over the examples file.</summary>
    public int ProbeExamples { get; init; } = 500;
    /// <summary>"auto" or tensor names separated by commas.</summary>
    public string Layers { get; init; } = LayerOutputs.Auto;
    public int Batch { get; init; } = 256;
    /// <summary>Language models: the probe text (UTF-8); null = the first model's held-out sample text.</summary>
    public string? TextsPath { get; init; }
    /// <summary>Language models: windows of <see cref="WindowTokens"/> tokens, evenly spaced over the probe text; each token is a row.</summary>
    public int Windows { get; init; } = 32;
    public int WindowTokens { get; init; } = 32;
    public Device Device { get; init; } = Device.Cpu;
    public int Threads { get; init; }
}

public sealed record CompareResult(IReadOnlyList<SimilarityRow> Rows, IReadOnlyList<string> Plots, string TablePath);

/// <summary>
/// Representation similarity between networks on one probe set (Memorization Dissection: "one
/// way to learn, N ways to memorize"): every chosen layer of every model is run on the same
/// images (classifiers) or the same token windows (language models, one row per token, see
/// <see cref="LmProbe"/>), each layer's Gram matrix is computed once, and every layer of every
/// pair of models is compared by linear CKA (unbiased) and SVCCA. Writes OUT/similarity.parquet and one CKA heatmap
/// per pair, OUT/similarity-A-vs-B.png.
/// </summary>
public static class CompareRun
{
    public const string TableFile = "similarity.parquet";
    const string LanguageModelKind = "language-model";

    sealed record Layer(string Name, int Features, double[,] Gram);

    public static CompareResult Run(ComparePlan plan, Action<string>? log = null)
    {
        log ??= _ => { };
        if (plan.Models.Count < 2) throw new MemScanException($"memscan compare needs at least two models, got {plan.Models.Count}");
        if (plan.ProbeExamples < 4) throw new MemScanException($"--probe-examples must be >= 4 (the unbiased CKA estimator needs 4), got {plan.ProbeExamples}");
        var manifests = plan.Models.Select(LoadManifest).ToList();
        var names = Names(plan.Models);
        AtomicFile.CreatePrivateDirectory(plan.OutDir);
        bool lm = manifests[0].Kind == LanguageModelKind;
        if (manifests.Any(m => (m.Kind == LanguageModelKind) != lm))
            throw new MemScanException("memscan compare compares classifiers with classifiers and language models with language models, not one with the other");
        var (n, layers) = lm ? LmLayers(plan, manifests, names, log) : ClassifierLayers(plan, manifests, names, log);

        var rows = new List<SimilarityRow>();
        var plots = new List<string>();
        for (int a = 0; a < layers.Count; a++)
            for (int b = a + 1; b < layers.Count; b++)
            {
                var pair = new List<SimilarityRow>();
                for (int i = 0; i < layers[a].Count; i++)
                    for (int j = 0; j < layers[b].Count; j++)
                    {
                        var (x, y) = (layers[a][i], layers[b][j]);
                        var svcca = Svcca.OfGrams(x.Gram, y.Gram);
                        pair.Add(new SimilarityRow
                        {
                            ModelA = names[a], ModelB = names[b], LayerIndexA = i, LayerIndexB = j, LayerA = x.Name, LayerB = y.Name,
                            FeaturesA = x.Features, FeaturesB = y.Features, Examples = n,
                            Cka = LinearCka.OfGrams(x.Gram, y.Gram), Svcca = svcca.Similarity,
                            SvccaDirectionsA = svcca.DirectionsX, SvccaDirectionsB = svcca.DirectionsY,
                        });
                    }
                string png = Path.Combine(plan.OutDir, $"similarity-{names[a]}-vs-{names[b]}.png");
                SimilarityPlot.Save(png, names[a], names[b], pair);
                plots.Add(png);
                rows.AddRange(pair);
            }
        string table = Path.Combine(plan.OutDir, TableFile);
        ParquetTable<SimilarityRow>.WriteAsync(table, rows).GetAwaiter().GetResult();
        return new CompareResult(rows, plots, table);
    }

    static (int Rows, List<IReadOnlyList<Layer>> Layers) ClassifierLayers(ComparePlan plan, IReadOnlyList<ModelManifest> manifests, IReadOnlyList<string> names, Action<string> log)
    {
        var spec = manifests[0].Classifier!;
        string examplesPath = plan.ExamplesPath ?? DefaultExamples(plan.Models[0], manifests[0]);
        var all = ExampleSet.Load(examplesPath, spec.Channels, spec.Height, spec.Width);
        int n = Math.Min(plan.ProbeExamples, all.Rows.Count);
        if (n < 4) throw new MemScanException($"{examplesPath} has {all.Rows.Count} images; CKA needs at least 4");
        var which = Enumerable.Range(0, n).Select(k => (int)((long)k * all.Rows.Count / n)).ToArray();
        int per = all.Images.PixelsPerImage;
        var pixels = new float[(long)n * per];
        for (int i = 0; i < n; i++) all.Images.Image(which[i]).CopyTo(pixels.AsSpan(i * per, per));
        log($"probe set: {n} images of {examplesPath}");

        var layers = new List<IReadOnlyList<Layer>>();
        for (int m = 0; m < plan.Models.Count; m++)
            layers.Add(Activations(plan, m, names[m], manifests[m], pixels, n, log));
        return (n, layers);
    }

    /// <summary>
    /// Language models: one probe (the first model's tokenizer cuts the text into windows), which every
    /// model must tokenize identically — a row is a token, so the rows must be the same tokens in every model.
    /// </summary>
    static (int Rows, List<IReadOnlyList<Layer>> Layers) LmLayers(ComparePlan plan, IReadOnlyList<ModelManifest> manifests, IReadOnlyList<string> names, Action<string> log)
    {
        string textPath = plan.TextsPath ?? LmProbe.DefaultTextPath(plan.Models[0], manifests[0]);
        string text = InputFile.ReadAllText(textPath, "probe text", 64L << 20);
        var tokenizers = plan.Models.Select((m, i) => Tokenizers.TokenizerFactory.FromSpec(
            manifests[i].Tokenizer ?? throw new MemScanException($"{ModelManifest.PathFor(m)} names no tokenizer"),
            Path.GetDirectoryName(ModelManifest.PathFor(m))!)).ToList();
        var probe = LmProbe.Load(text, textPath, tokenizers[0], plan.Windows, plan.WindowTokens);
        for (int m = 1; m < tokenizers.Count; m++)
            if (!tokenizers[m].Encode(text).AsSpan().SequenceEqual(tokenizers[0].Encode(text)))
                throw new MemScanException($"{names[m]} tokenizes the probe text differently from {names[0]} ({tokenizers[m].Describe()} vs {tokenizers[0].Describe()}); " +
                                           "CKA over token positions needs the same tokens in every model");
        log($"probe set: {probe.Windows.Count} windows of {probe.WindowTokens} tokens of {textPath} ({probe.Rows} rows, one per token)");

        var layers = new List<IReadOnlyList<Layer>>();
        for (int m = 0; m < plan.Models.Count; m++)
            layers.Add(LmActivations(plan, m, names[m], manifests[m], probe, log));
        return (probe.Rows, layers);
    }

    /// <summary>Runs one language model's chosen hidden states over every window and returns each layer's Gram matrix over (window, position) rows.</summary>
    static IReadOnlyList<Layer> LmActivations(ComparePlan plan, int index, string name, ModelManifest manifest, LmProbe probe, Action<string> log)
    {
        var info = OnnxModelInfo.Load(plan.Models[index]);
        var chosen = LmLayerOutputs.Choose(info, plan.Layers, manifest.Io?.Logits ?? "logits");
        string edited = Path.Combine(plan.OutDir, $".{name}-layers.onnx");
        LayerOutputs.Expose(info, chosen.Select(c => c.Tensor).ToList(), edited);
        try
        {
            var options = new OnnxSessionOptions { Device = plan.Device, IntraOpThreads = plan.Threads };
            using var model = OnnxLanguageModel.Open(edited, manifest.Io, options);
            if (model.MaxSequenceLength is { } max && probe.WindowTokens > max)
                throw new MemScanException($"{name} reads at most {max} tokens{model.ContextNote}; lower --window-tokens (got {probe.WindowTokens})");
            var tensors = chosen.Select(c => c.Tensor).ToList();
            var values = new float[chosen.Count][];
            var features = new int[chosen.Count];
            for (int w = 0; w < probe.Windows.Count; w++)
            {
                var outputs = model.Tensors(probe.Windows[w], tensors);
                for (int i = 0; i < chosen.Count; i++)
                {
                    int d = HiddenWidth(outputs[i], probe.WindowTokens, name);
                    if (w == 0) (features[i], values[i]) = (d, new float[(long)probe.Rows * d]);
                    OnnxTypedArrays.ToFloat(outputs[i].Data, 0, values[i].AsSpan(w * probe.WindowTokens * d, probe.WindowTokens * d));
                }
            }
            var layers = chosen.Select((c, i) => new Layer(c.Label, features[i], new Representation(values[i], probe.Rows, features[i]).Gram())).ToList();
            log($"{name}: {string.Join(", ", layers.Select((l, i) => l.Name == chosen[i].Tensor ? $"{l.Name} ({l.Features})" : $"{l.Name} = {chosen[i].Tensor} ({l.Features})"))}");
            return layers;
        }
        finally
        {
            File.Delete(edited);
        }
    }

    /// <summary>D of a batch-1 hidden state: its shape without unit axes must be [T, D] (or [T]).</summary>
    static int HiddenWidth(OnnxTypedTensor tensor, int tokens, string model)
    {
        var dims = tensor.Shape.Where(d => d != 1).ToArray();
        if (!OnnxTypedArrays.IsFloating(tensor.ElementType) || dims.Length > 2 || dims.Length == 0 || dims[0] != tokens)
            throw new MemScanException($"{model}: tensor '{tensor.Name}' came back as {tensor}; memscan compare reads language-model tensors of one row per token ([1, {tokens}, D] or [{tokens}, 1, D])");
        return dims.Length == 2 ? checked((int)dims[1]) : 1;
    }

    static ModelManifest LoadManifest(string model)
    {
        if (!File.Exists(model)) throw new MemScanException($"model {model} does not exist");
        string path = ModelManifest.PathFor(model);
        if (!File.Exists(path)) throw new MemScanException($"{model} has no manifest ({Path.GetFileName(path)}); memscan compare reads MemScan classifiers and language models");
        var manifest = ModelManifest.Load(path);
        if (manifest.Kind == LanguageModelKind ? manifest.Io is null : manifest.Kind != "classifier" || manifest.Classifier is null)
            throw new MemScanException($"{path} describes a {manifest.Kind} without its tensor names; memscan compare reads MemScan classifiers and language models");
        return manifest;
    }

    static string DefaultExamples(string model, ModelManifest manifest)
    {
        if (manifest.ExamplesFile is { } file) return ModelManifest.ResolveFile(ModelManifest.PathFor(model), file, "examples file");
        string beside = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(model))!, "examples.parquet");
        return File.Exists(beside) ? beside : throw new MemScanException($"no probe set: {model}'s manifest names no examples file and there is no {beside}; pass --examples");
    }

    /// <summary>Short distinct names for the models: their folder names, else their positions.</summary>
    static IReadOnlyList<string> Names(IReadOnlyList<string> models)
    {
        var folders = models.Select(m => Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(m))) ?? "model").ToList();
        return folders.Distinct().Count() == folders.Count && folders.All(f => f.Length > 0 && f.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.'))
            ? folders : models.Select((_, i) => $"model{i + 1}").ToList();
    }

    /// <summary>Runs one model's chosen layers on the probe images and returns each layer's Gram matrix.</summary>
    static IReadOnlyList<Layer> Activations(ComparePlan plan, int index, string name, ModelManifest manifest, float[] pixels, int n, Action<string> log)
    {
        var info = OnnxModelInfo.Load(plan.Models[index]);
        var chosen = LayerOutputs.Choose(info, plan.Layers);
        string edited = Path.Combine(plan.OutDir, $".{name}-layers.onnx");
        LayerOutputs.Expose(info, chosen, edited);
        try
        {
            var profile = ClassifierProfile.FromManifest(manifest.Classifier!, name);
            var options = new OnnxSessionOptions { Device = plan.Device, IntraOpThreads = plan.Threads };
            var layers = new List<Layer>();
            foreach (string tensor in chosen)
            {
                // The classifier reads any [n, ...] output as its "embedding", flattened to [n, D]: one session per layer.
                using var model = OnnxClassifier.Open(edited, profile with { Embedding = tensor }, options);
                model.MaxBatch = plan.Batch;
                var output = model.Run(pixels, n, withEmbedding: true);
                var representation = new Representation(output.Embeddings!, n, output.EmbeddingSize);
                layers.Add(new Layer(tensor, representation.Features, representation.Gram()));
            }
            log($"{name}: {string.Join(", ", layers.Select(l => $"{l.Name} ({l.Features})"))}");
            return layers;
        }
        finally
        {
            File.Delete(edited);
        }
    }
}
