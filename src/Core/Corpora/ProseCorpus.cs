namespace MemScan.Scanner.Corpora;

/// <summary>
/// Plain prose, one document per <c>.txt</c> file: Moby-Dick (139 parts: contents, etymology,
/// extracts, 135 chapters, epilogue; one paragraph per line) or the State of the Union addresses
/// 1790-2021 (233 files, each address on a single line).
/// </summary>
public sealed class ProseCorpus
{
    private static readonly string[] DocumentPatterns = ["*.txt"];
    private string? _text;

    private ProseCorpus(string name, string directory, IReadOnlyList<ProseDocument> documents, string sha256)
    {
        Name = name;
        Directory = directory;
        Documents = documents;
        Sha256 = sha256;
    }

    /// <summary>
    /// Reads the <c>.txt</c> files listed in <c>file_list.json</c> (in that order) or, without that
    /// file, every <c>*.txt</c> directly in <paramref name="directory"/> in ordinal name order.
    /// </summary>
    public static ProseCorpus Load(string directory)
    {
        CorpusPaths.RequireDirectory(directory);
        var paths = CorpusText.ListDocuments(directory, DocumentPatterns, recursive: false);
        if (paths.Count == 0)
            throw CorpusPaths.MissingFile(directory, "documents (*.txt files or file_list.json)");

        var documents = new ProseDocument[paths.Count];
        using var hasher = new ContentHasher();
        for (var i = 0; i < paths.Count; i++)
        {
            var path = Path.Combine(directory, paths[i]);
            if (!File.Exists(path))
                throw CorpusPaths.MissingFile(directory, $"document '{paths[i]}' (listed in file_list.json)");
            var bytes = InputFile.ReadAllBytes(path, "corpus file", CorpusText.MaxFileBytes);
            hasher.Add(paths[i], bytes);
            documents[i] = new ProseDocument(Path.GetFileNameWithoutExtension(paths[i]), CorpusText.Decode(bytes));
        }
        var full = Path.GetFullPath(directory);
        return new ProseCorpus(Path.GetFileName(full.TrimEnd(Path.DirectorySeparatorChar)), full, documents, hasher.Finish());
    }

    public static ProseCorpus LoadMobyDick() => Load(CorpusPaths.For(CorpusPaths.MobyDick));

    public static ProseCorpus LoadStateOfTheUnion() => Load(CorpusPaths.For(CorpusPaths.StateOfTheUnion));

    /// <summary>The folder name, e.g. <c>moby-dick</c> or <c>sotu</c>.</summary>
    public string Name { get; }

    public string Directory { get; }

    public IReadOnlyList<ProseDocument> Documents { get; }

    /// <summary>All documents in order, separated by a blank line.</summary>
    public string Text => _text ??= string.Join("\n\n", Documents.Select(d => d.Text.TrimEnd('\n', '\r')));

    /// <summary>Lowercase hex SHA-256 over every file's relative path, byte length and bytes, in order.</summary>
    public string Sha256 { get; }

    /// <summary>Non-blank lines of every document in order, line terminators removed.</summary>
    public IEnumerable<string> Lines() => Documents.SelectMany(d => CorpusText.NonBlankLines(d.Text));

    /// <summary>The first <see cref="Lines"/> joined with '\n', whole lines only, at most <paramref name="maxChars"/>.</summary>
    public string TrainingText(int maxChars) => CorpusText.Take(Lines(), maxChars);
}
