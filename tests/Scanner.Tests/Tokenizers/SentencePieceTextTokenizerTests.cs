using MemScan.Scanner.Tests.Corpora;
using MemScan.Scanner.Tokenizers;
using Xunit;

namespace MemScan.Scanner.Tests.Tokenizers;

public sealed class SentencePieceTextTokenizerTests
{
    [Fact]
    public void Llama_encodes_hello_world_with_bos_as_llama_does()
    {
        var llama = SentencePieceTextTokenizer.Create(FetchedTokenizers.LlamaModelOrSkip(), addBeginningOfSentence: true);

        var ids = llama.Encode("Hello world");

        Assert.Equal([1, 15043, 3186], ids);
        Assert.Equal("Hello world", llama.Decode(ids));
        Assert.Equal(32_000, llama.VocabSize);
        Assert.Equal(1, llama.BeginningOfSentenceId);
    }

    [Fact]
    public void Llama_splits_digits_and_round_trips_whitespace_and_unicode()
    {
        var llama = SentencePieceTextTokenizer.Create(FetchedTokenizers.LlamaModelOrSkip());

        Assert.Equal([1619, 349, 1177, 338, 29871, 29896, 29906, 29941, 29946, 29945, 29953], llama.Encode("My PIN is 123456"));
        foreach (var text in new[] { "a\n\n  b\t c  ", "héllo 日本語 🐳 x", FetchedTokenizers.MobyDick[..5_000] })
            Assert.Equal(text, llama.Decode(llama.Encode(text)));
    }

    [Fact]
    public void A_tiny_bpe_model_merges_by_piece_score_and_decodes_back()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "tiny.model");
        File.WriteAllBytes(path, TinySentencePieceModel.Bytes());

        var plain = SentencePieceTextTokenizer.Create(path);
        var withBos = SentencePieceTextTokenizer.Create(path, addBeginningOfSentence: true);

        Assert.Equal(TinySentencePieceModel.Pieces.Length, plain.VocabSize);
        Assert.Equal([7, 12], plain.Encode("hello world"));
        Assert.Equal([1, 7, 12], withBos.Encode("hello world"));
        Assert.Equal([13, 3, 9], plain.Encode("held"));
        Assert.Equal("hello world", withBos.Decode([1, 7, 12]));
        Assert.Equal("sentencepiece (21 pieces, tiny.model)", plain.Describe());
    }

    [Fact]
    public void A_file_that_is_not_a_sentencepiece_model_is_reported_with_its_path()
    {
        using var dir = new TempDirectory();
        var garbage = Path.Combine(dir.Path, "tokenizer.model");
        File.WriteAllBytes(garbage, [1, 2, 3, 4, 5, 0, 0, 0]);

        var e = Assert.Throws<MemScanException>(() => SentencePieceTextTokenizer.Create(garbage));

        Assert.Contains(garbage, e.Message);
        Assert.Contains("cannot be loaded", e.Message);
    }

    [Fact]
    public void A_gpt2_vocabulary_passed_as_a_sentencepiece_model_is_refused()
    {
        var e = Assert.Throws<MemScanException>(() => SentencePieceTextTokenizer.Create(FetchedTokenizers.Gpt2.VocabPath));

        Assert.Contains(FetchedTokenizers.Gpt2.VocabPath, e.Message);
    }

    [Fact]
    public void Missing_and_empty_model_files_are_reported_with_their_paths()
    {
        using var dir = new TempDirectory();
        var missing = Path.Combine(dir.Path, "absent.model");
        var empty = dir.File("empty.model", "");

        Assert.Contains($"{missing} does not exist", Assert.Throws<MemScanException>(() => SentencePieceTextTokenizer.Create(missing)).Message);
        Assert.Contains($"{empty} is empty", Assert.Throws<MemScanException>(() => SentencePieceTextTokenizer.Create(empty)).Message);
    }
}
