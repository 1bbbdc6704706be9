using MemScan.Scanner.Manifest;

namespace MemScan.Scanner.Folders;

/// <summary>
/// A language model as people publish it: a folder with the ONNX file(s) and, beside them,
/// <c>config.json</c>, <c>generation_config.json</c>, <c>genai_config.json</c> and the tokenizer
/// (Hugging Face Optimum and ONNX Runtime GenAI layouts; the ONNX files may sit in an
/// <c>onnx/</c> subfolder under the JSON files, as on the Hub). The model file is, in this order:
/// the one genai_config.json names; <c>decoder_model_merged.onnx</c> (merged decoder with
/// <c>use_cache_branch</c>); <c>model.onnx</c>; the pair <c>decoder_with_past_model.onnx</c> +
/// <c>decoder_model.onnx</c> (the first step through the decoder without past); a lone
/// <c>decoder_model.onnx</c>. External data files sit beside the model file.
/// </summary>
public sealed record ModelFolder
{
    public const string Merged = "decoder_model_merged.onnx", Single = "model.onnx",
        WithPast = "decoder_with_past_model.onnx", WithoutPast = "decoder_model.onnx", TokenizerJson = "tokenizer.json";

    public required string Dir { get; init; }
    /// <summary>The file MemScan runs (every step, or every step after the first for a pair).</summary>
    public required string ModelPath { get; init; }
    /// <summary>The decoder without past of a pair, run on the first step; null otherwise.</summary>
    public string? FirstStepPath { get; init; }
    /// <summary>"merged decoder (use_cache_branch)", "decoder + decoder-with-past pair", ...</summary>
    public required string Layout { get; init; }
    public HfModelConfig? Config { get; init; }
    public GenerationConfig? Generation { get; init; }
    public GenAiConfig? GenAi { get; init; }
    /// <summary>The context a JSON file gives, with where it came from; null when none does.</summary>
    public (int Tokens, string Source)? Context { get; init; }
    /// <summary>A --tokenizer value for the folder's tokenizer (a tokenizer.json path, or the folder with vocab.json+merges.txt, ...); null when it has none.</summary>
    public string? TokenizerSpec { get; init; }
    public string? TokenizerSource { get; init; }

    public static bool IsFolder(string path) => Directory.Exists(path);

    /// <summary>Reads <paramref name="dir"/>; one clear error when it holds no model MemScan can find.</summary>
    public static ModelFolder Load(string dir)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir));
        if (!Directory.Exists(full)) throw new MemScanException($"model folder {dir} does not exist");
        // JSON files at the top; ONNX files at the top or in onnx/ (the Hub's layout).
        var genAi = GenAiConfig.Load(full);
        var onnxDirs = new[] { full, Path.Combine(full, "onnx") }.Where(Directory.Exists).ToArray();
        string? Find(string name) => onnxDirs.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

        string? model = null, first = null, layout = null;
        if (genAi?.Filename is { } named)
        {
            if (named.Contains('/') || named.Contains('\\') || named.Contains(".."))
                throw new MemScanException($"{Path.Combine(full, GenAiConfig.FileName)} names decoder file '{named}'; only a file name inside the folder is accepted");
            model = Find(named) ?? throw new MemScanException($"{Path.Combine(full, GenAiConfig.FileName)} names decoder file {named}, which is not in {full}");
            layout = $"ONNX Runtime GenAI decoder ({named})";
        }
        else if (Find(Merged) is { } merged) (model, layout) = (merged, "merged decoder (use_cache_branch)");
        else if (Find(Single) is { } single) (model, layout) = (single, "single file");
        else if (Find(WithPast) is { } withPast)
        {
            model = withPast;
            first = Find(WithoutPast) ?? throw new MemScanException(
                $"{full} holds {WithPast} without {WithoutPast}: the first step (an empty past) needs the decoder without past; put it beside, or scan a merged decoder");
            layout = "decoder + decoder-with-past pair";
        }
        else if (Find(WithoutPast) is { } withoutPast) (model, layout) = (withoutPast, "decoder without past (full sequence)");
        if (model is null)
        {
            var others = onnxDirs.SelectMany(d => Directory.EnumerateFiles(d, "*.onnx")).Select(f => Path.GetRelativePath(full, f)).Order(StringComparer.Ordinal).ToList();
            throw new MemScanException(others.Count == 0
                ? $"{full} holds no ONNX model (looked for {Merged}, {Single}, {WithPast} + {WithoutPast} in it and in onnx/)"
                : $"{full} holds {string.Join(", ", others)} but none of {Merged}, {Single}, {WithPast} + {WithoutPast}; scan the file you mean (memscan scan FILE.onnx)");
        }

        var config = HfModelConfig.Load(full);
        var generation = GenerationConfig.Load(full);
        (int, string)? context = genAi?.ContextLength is { } genAiContext ? (genAiContext, $"{GenAiConfig.FileName} context_length")
            : config?.Context is { } c ? (c.Tokens, $"{HfModelConfig.FileName} {c.Field}")
            : null;
        var (tokenizer, tokenizerSource) = FindTokenizer(full, Path.GetDirectoryName(model)!);
        return new ModelFolder
        {
            Dir = full, ModelPath = model, FirstStepPath = first, Layout = layout!,
            Config = config, Generation = generation, GenAi = genAi, Context = context,
            TokenizerSpec = tokenizer, TokenizerSource = tokenizerSource,
        };
    }

    /// <summary>
    /// The folder's tokenizer as a --tokenizer value: tokenizer.json first (the complete
    /// description: normalizer, pre-tokenizer, added tokens), else the files the tokenizer factory
    /// reads from a folder (vocab.json+merges.txt, tokenizer.model, vocab.txt, ...).
    /// </summary>
    static (string?, string?) FindTokenizer(params string[] dirs)
    {
        foreach (var dir in dirs.Distinct())
        {
            var json = Path.Combine(dir, TokenizerJson);
            if (File.Exists(json)) return (json, Path.GetFileName(Path.GetDirectoryName(json)) + "/" + TokenizerJson);
        }
        string[][] sets = [["vocab.json", "merges.txt"], ["encoder.json", "vocab.bpe"], ["tokenizer.model"], ["vocab.txt"]];
        foreach (var dir in dirs.Distinct())
            foreach (var set in sets)
                if (set.All(f => File.Exists(Path.Combine(dir, f))))
                    return (dir, string.Join(" + ", set.Select(f => Path.GetFileName(dir) + "/" + f)));
        return (null, null);
    }

    /// <summary>The manifest MemScan's trainer writes beside the model file, when there is one.</summary>
    public string ManifestPath => ModelManifest.PathFor(ModelPath);

    /// <summary>
    /// The tensor names to use: the manifest's or profile's when given (they win), else
    /// genai_config.json's, else none (the graph is read by itself).
    /// </summary>
    public LmIoSpec? MergeIo(LmIoSpec? given) => given ?? GenAi?.Io();

    /// <summary>Heads and key/value heads from the JSON files, for inspect ("4 heads, 1 key/value head: grouped-query attention").</summary>
    public (int? Heads, int? KvHeads) Heads => (Config?.Heads ?? GenAi?.Heads, Config?.KvHeads ?? GenAi?.KvHeads);

    public int[] BosIds => Generation?.BosIds is { Length: > 0 } g ? g : Config?.BosIds ?? GenAi?.BosIds ?? [];
    public int[] EosIds => Generation?.EosIds is { Length: > 0 } g ? g : Config?.EosIds ?? GenAi?.EosIds ?? [];
    public int[] PadIds => Generation?.PadIds is { Length: > 0 } g ? g : Config?.PadIds ?? GenAi?.PadIds ?? [];
}
