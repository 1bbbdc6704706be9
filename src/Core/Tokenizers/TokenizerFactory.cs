using MemScan.Scanner.Corpora;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Tokenizers.HuggingFace;

namespace MemScan.Scanner.Tokenizers;

/// <summary>
/// Builds the tokenizer of a model from its manifest (<see cref="FromSpec"/>) or from the
/// <c>--tokenizer</c> option (<see cref="FromCli"/>). Manifests of third-party models are untrusted:
/// their tokenizer files must be relative paths that stay inside the manifest's folder.
/// </summary>
public static class TokenizerFactory
{
    public const string CharPrefix = "char:";
    /// <summary>The --tokenizer name of the fetched BERT-uncased WordPiece vocabulary.</summary>
    public const string BertName = "bert";

    /// <summary>What <see cref="FromCli"/> accepts, for help text and error messages.</summary>
    public static string AcceptedCliForms { get; } =
        "gpt2 (the fetched GPT-2 files); bert (the fetched BERT-uncased WordPiece vocab.txt); " +
        $"{string.Join("|", TiktokenTokenizer.Encodings)} (the fetched tiktoken files); " +
        "VOCAB.json,MERGES.txt (GPT-2 byte-level BPE); FILE.tiktoken (encoding from the file name); " +
        "ENCODING:FILE.tiktoken; FILE.model (SentencePiece); FILE.txt (WordPiece vocab.txt); " +
        "tokenizer.json or FILE.json (Hugging Face tokenizers format); " +
        "a folder holding tokenizer.json, vocab.json+merges.txt, encoder.json+vocab.bpe, tokenizer.model, one .tiktoken file or vocab.txt; " +
        $"MODEL{ModelManifest.FileSuffix} (the manifest's tokenizer); {CharPrefix}MODEL{ModelManifest.FileSuffix}";

    public static IReadOnlyList<string> SpecKinds { get; } = ["char", "gpt2-bpe", "tiktoken", "sentencepiece", "wordpiece", TokenizerJsonKind];

    /// <summary>The manifest kind of a Hugging Face tokenizer.json (one file).</summary>
    public const string TokenizerJsonKind = "tokenizer-json";

    /// <summary>
    /// The tokenizer a manifest describes. Files are relative to <paramref name="manifestDir"/>;
    /// kinds gpt2-bpe and wordpiece with no files mean the fetched GPT-2 files and BERT-uncased vocab.txt.
    /// </summary>
    public static ITextTokenizer FromSpec(TokenizerSpec spec, string manifestDir)
    {
        ArgumentNullException.ThrowIfNull(spec);
        switch (spec.Kind)
        {
            case "char":
                if (string.IsNullOrEmpty(spec.Symbols))
                    throw new MemScanException("manifest tokenizer of kind char has no symbols");
                return CharTokenizer.Create(spec.Symbols);
            case "gpt2-bpe":
                if (spec.Files.Count == 0) return Gpt2BpeTokenizer.CreateDefault();
                RequireFileCount(spec, 2, "vocab.json and merges.txt");
                var files = spec.Files.Select(f => ResolveManifestFile(manifestDir, f)).ToList();
                // vocab first, unless the .json one is second
                return files[1].EndsWith(".json", StringComparison.OrdinalIgnoreCase) && !files[0].EndsWith(".json", StringComparison.OrdinalIgnoreCase)
                    ? Gpt2BpeTokenizer.Create(files[1], files[0])
                    : Gpt2BpeTokenizer.Create(files[0], files[1]);
            case "tiktoken":
                RequireFileCount(spec, 1, "a .tiktoken rank file whose name holds the encoding, e.g. cl100k_base.tiktoken");
                return TiktokenTokenizer.Create(ResolveManifestFile(manifestDir, spec.Files[0]));
            case "sentencepiece":
                RequireFileCount(spec, 1, "a SentencePiece .model file");
                return SentencePieceTextTokenizer.Create(ResolveManifestFile(manifestDir, spec.Files[0]));
            case "wordpiece":
                if (spec.Files.Count == 0) return WordPieceTextTokenizer.CreateDefault();
                RequireFileCount(spec, 1, "a WordPiece vocab.txt");
                return WordPieceTextTokenizer.Create(ResolveManifestFile(manifestDir, spec.Files[0]));
            case TokenizerJsonKind:
                RequireFileCount(spec, 1, "a Hugging Face tokenizer.json");
                return HuggingFaceTokenizer.Create(ResolveManifestFile(manifestDir, spec.Files[0]));
            default:
                throw new MemScanException($"manifest tokenizer kind '{spec.Kind}' is unknown; known: {string.Join(", ", SpecKinds)}");
        }
    }

    /// <summary>The tokenizer named by a <c>--tokenizer</c> value; see <see cref="AcceptedCliForms"/>.</summary>
    public static ITextTokenizer FromCli(string value)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new MemScanException($"--tokenizer is empty; accepted: {AcceptedCliForms}");
        value = value.Trim();

        if (value.Equals("gpt2", StringComparison.OrdinalIgnoreCase))
            return Gpt2BpeTokenizer.CreateDefault();
        if (value.Equals(BertName, StringComparison.OrdinalIgnoreCase))
            return WordPieceTextTokenizer.CreateDefault();
        if (TiktokenTokenizer.IsEncodingName(value))
            return TiktokenTokenizer.CreateDefault(value);

        if (value.StartsWith(CharPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var (spec, dir) = LoadManifestTokenizer(value[CharPrefix.Length..]);
            if (spec.Kind != "char")
                throw new MemScanException($"manifest {value[CharPrefix.Length..]} has a tokenizer of kind {spec.Kind}, not char");
            return FromSpec(spec, dir);
        }

        int colon = value.IndexOf(':');
        if (colon > 0 && TiktokenTokenizer.IsEncodingName(value[..colon]))
            return TiktokenTokenizer.Create(value[(colon + 1)..], value[..colon]);

        if (value.Contains(','))
        {
            var parts = value.Split(',', StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts.Any(p => p.Length == 0))
                throw new MemScanException($"--tokenizer '{value}': a GPT-2 BPE is given as VOCAB.json,MERGES.txt (two paths, one comma)");
            return Gpt2BpeTokenizer.Create(parts[0], parts[1]);
        }

        if (value.EndsWith(ModelManifest.FileSuffix, StringComparison.OrdinalIgnoreCase))
        {
            var (spec, dir) = LoadManifestTokenizer(value);
            return FromSpec(spec, dir);
        }
        if (value.EndsWith(".tiktoken", StringComparison.OrdinalIgnoreCase))
            return TiktokenTokenizer.Create(value);
        // A lone .json: GPT-2's vocab.json comes with its merges after a comma (above), manifests end in .memscan.json.
        if (value.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            return HuggingFaceTokenizer.Create(value);
        if (value.EndsWith(".model", StringComparison.OrdinalIgnoreCase))
            return SentencePieceTextTokenizer.Create(value);
        // A lone .txt: GPT-2's merges.txt comes with its vocab.json after a comma (above), so this is WordPiece.
        if (value.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
            return WordPieceTextTokenizer.Create(value);
        if (Directory.Exists(value))
            return FromFolder(value);
        if (!File.Exists(value))
            throw new MemScanException($"--tokenizer '{value}' is neither a known name nor an existing file or folder; accepted: {AcceptedCliForms}");
        throw new MemScanException($"cannot tell what kind of tokenizer {value} is from its name; accepted: {AcceptedCliForms}");
    }

    /// <summary>
    /// The full path of a manifest's tokenizer file. Refuses absolute paths, '..' segments, and
    /// symbolic links whose target leaves the manifest's folder.
    /// </summary>
    public static string ResolveManifestFile(string manifestDir, string relative)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(manifestDir));
        string Refuse(string why) => throw new MemScanException(
            $"manifest tokenizer file '{relative}' {why}: only relative paths inside the manifest's folder {root} are allowed " +
            "(manifests of third-party models are untrusted)");

        if (string.IsNullOrWhiteSpace(relative)) Refuse("is empty");
        if (Path.IsPathRooted(relative) || relative.StartsWith('/') || relative.StartsWith('\\'))
            Refuse("is an absolute path");
        if (relative.Contains(':'))
            Refuse("names a drive or a stream (':')");
        if (relative.Split('/', '\\').Any(segment => segment == ".."))
            Refuse("climbs out with '..'");
        var full = Path.GetFullPath(Path.Combine(root, relative));
        if (!IsInside(root, full)) Refuse("resolves outside");

        // a link inside the folder may still point out of it; check every existing step of the path
        var current = root;
        foreach (var segment in Path.GetRelativePath(root, full).Split(Path.DirectorySeparatorChar))
        {
            current = Path.Combine(current, segment);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (!info.Exists || info.LinkTarget is null) continue;
            var target = info.ResolveLinkTarget(returnFinalTarget: true);
            if (target is not null && !IsInside(root, Path.GetFullPath(target.FullName)))
                Refuse($"is a link to {target.FullName}, outside");
        }
        return full;
    }

    static bool IsInside(string root, string full) =>
        full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    static (TokenizerSpec Spec, string Dir) LoadManifestTokenizer(string manifestPath)
    {
        var manifest = ModelManifest.Load(manifestPath);
        if (manifest.Tokenizer is null)
            throw new MemScanException($"manifest {manifestPath} names no tokenizer; give one with --tokenizer ({AcceptedCliForms})");
        return (manifest.Tokenizer, Path.GetDirectoryName(Path.GetFullPath(manifestPath))!);
    }

    static ITextTokenizer FromFolder(string dir)
    {
        // First: a published model folder's tokenizer.json describes the whole tokenizer (added tokens,
        // normalizer, pre-tokenizer), where vocab.json+merges.txt or tokenizer.model beside it do not.
        var tokenizerJson = Path.Combine(dir, HuggingFaceTokenizer.FileName);
        if (File.Exists(tokenizerJson))
            return HuggingFaceTokenizer.Create(tokenizerJson);
        string[] vocabNames = ["vocab.json", "encoder.json"], mergesNames = ["merges.txt", "vocab.bpe"];
        var vocab = vocabNames.Select(n => Path.Combine(dir, n)).FirstOrDefault(File.Exists);
        var merges = mergesNames.Select(n => Path.Combine(dir, n)).FirstOrDefault(File.Exists);
        if (vocab is not null && merges is not null)
            return Gpt2BpeTokenizer.Create(vocab, merges);
        var spm = Path.Combine(dir, "tokenizer.model");
        if (File.Exists(spm))
            return SentencePieceTextTokenizer.Create(spm);
        var models = Directory.GetFiles(dir, "*.model");
        if (models.Length == 1)
            return SentencePieceTextTokenizer.Create(models[0]);
        var ranks = Directory.GetFiles(dir, "*.tiktoken");
        if (ranks.Length == 1)
            return TiktokenTokenizer.Create(ranks[0]);
        if (ranks.Length > 1)
            throw new MemScanException(
                $"folder {dir} holds {ranks.Length} .tiktoken files ({string.Join(", ", ranks.Select(r => Path.GetFileName(r)).Order())}); name one of them");
        // Last: a vocab.txt beside a GPT-2 pair, a .model or a .tiktoken file is not the tokenizer to pick.
        var wordPiece = Path.Combine(dir, "vocab.txt");
        if (File.Exists(wordPiece))
            return WordPieceTextTokenizer.Create(wordPiece);
        throw new MemScanException($"folder {dir} holds no tokenizer files; accepted: {AcceptedCliForms}");
    }

    static void RequireFileCount(TokenizerSpec spec, int count, string what)
    {
        if (spec.Files.Count != count)
            throw new MemScanException($"manifest tokenizer of kind {spec.Kind} needs {count} file(s), {what}; it lists {spec.Files.Count}");
    }
}
