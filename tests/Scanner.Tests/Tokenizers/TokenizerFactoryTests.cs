using MemScan.Scanner.Manifest;
using MemScan.Scanner.Tests.Corpora;
using MemScan.Scanner.Tokenizers;
using Xunit;

namespace MemScan.Scanner.Tests.Tokenizers;

public sealed class TokenizerFactoryTests
{
    [Fact]
    public void Gpt2_by_name_is_the_fetched_gpt2_bpe()
    {
        var tokenizer = Assert.IsType<Gpt2BpeTokenizer>(TokenizerFactory.FromCli("gpt2"));

        Assert.Equal([15496, 995], tokenizer.Encode("Hello world"));
    }

    [Fact]
    public void A_tiktoken_encoding_name_is_the_fetched_rank_file()
    {
        var tokenizer = Assert.IsType<TiktokenTokenizer>(TokenizerFactory.FromCli("cl100k_base"));

        Assert.Equal("cl100k_base", tokenizer.Encoding);
    }

    [Fact]
    public void Two_paths_with_a_comma_are_vocab_and_merges()
    {
        var gpt2 = FetchedTokenizers.Gpt2;

        var tokenizer = Assert.IsType<Gpt2BpeTokenizer>(TokenizerFactory.FromCli($"{gpt2.VocabPath},{gpt2.MergesPath}"));

        Assert.Equal(gpt2.VocabPath, tokenizer.VocabPath);
    }

    [Fact]
    public void File_extensions_pick_the_tokenizer_family()
    {
        var ranks = FetchedTokenizers.TiktokenPath("p50k_base");

        Assert.Equal("p50k_base", Assert.IsType<TiktokenTokenizer>(TokenizerFactory.FromCli(ranks)).Encoding);
        Assert.Equal("p50k_edit", Assert.IsType<TiktokenTokenizer>(TokenizerFactory.FromCli($"p50k_edit:{ranks}")).Encoding);
        var spm = Assert.Throws<MemScanException>(() => TokenizerFactory.FromCli(FetchedTokenizers.Gpt2.VocabPath.Replace(".json", ".model")));
        Assert.Contains("SentencePiece model", spm.Message);
    }

    [Fact]
    public void A_folder_with_hugging_face_names_is_a_gpt2_bpe()
    {
        using var dir = new TempDirectory();
        File.Copy(FetchedTokenizers.Gpt2.VocabPath, Path.Combine(dir.Path, "vocab.json"));
        File.Copy(FetchedTokenizers.Gpt2.MergesPath, Path.Combine(dir.Path, "merges.txt"));

        var tokenizer = Assert.IsType<Gpt2BpeTokenizer>(TokenizerFactory.FromCli(dir.Path));

        Assert.Equal([15496, 995], tokenizer.Encode("Hello world"));
    }

    [Fact]
    public void A_folder_of_several_rank_files_asks_which_one()
    {
        var folder = Path.GetDirectoryName(FetchedTokenizers.TiktokenPath("r50k_base"))!;

        var e = Assert.Throws<MemScanException>(() => TokenizerFactory.FromCli(folder));

        Assert.Contains("4 .tiktoken files", e.Message);
    }

    [Fact]
    public void An_unrecognised_value_lists_every_accepted_form()
    {
        using var dir = new TempDirectory();
        var text = dir.File("notes.md", "hello");

        var unknown = Assert.Throws<MemScanException>(() => TokenizerFactory.FromCli("bert-base"));
        var unguessable = Assert.Throws<MemScanException>(() => TokenizerFactory.FromCli(text));

        Assert.Contains("neither a known name nor an existing file", unknown.Message);
        Assert.Contains("VOCAB.json,MERGES.txt", unknown.Message);
        Assert.Contains("FILE.model", unknown.Message);
        Assert.Contains("char:MODEL.memscan.json", unguessable.Message);
    }

    [Fact]
    public void Char_from_a_manifest_is_the_trainer_vocabulary()
    {
        using var dir = new TempDirectory();
        var manifest = Path.Combine(dir.Path, "model.memscan.json");
        new ModelManifest { ModelFile = "model.onnx", Tokenizer = new TokenizerSpec { Kind = "char", Symbols = "\0 abc" } }.Save(manifest);

        var viaPrefix = Assert.IsType<CharTokenizer>(TokenizerFactory.FromCli("char:" + manifest));
        var viaManifest = Assert.IsType<CharTokenizer>(TokenizerFactory.FromCli(manifest));

        Assert.Equal(5, viaPrefix.VocabSize);
        Assert.Equal([2, 3, 1, 4], viaManifest.Encode("ab c"));
    }

    [Fact]
    public void A_manifest_spec_resolves_its_files_beside_the_manifest()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir.Path, "tok"));
        File.Copy(FetchedTokenizers.Gpt2.VocabPath, Path.Combine(dir.Path, "tok", "encoder.json"));
        File.Copy(FetchedTokenizers.Gpt2.MergesPath, Path.Combine(dir.Path, "tok", "vocab.bpe"));
        var spec = new TokenizerSpec { Kind = "gpt2-bpe", Files = ["tok/vocab.bpe", "tok/encoder.json"] };

        var tokenizer = Assert.IsType<Gpt2BpeTokenizer>(TokenizerFactory.FromSpec(spec, dir.Path));

        Assert.Equal(Path.Combine(dir.Path, "tok", "encoder.json"), tokenizer.VocabPath);
        Assert.Equal([15496, 995], tokenizer.Encode("Hello world"));
    }

    [Theory]
    [InlineData("../secrets/vocab.json", "climbs out with '..'")]
    [InlineData("tok/../../vocab.json", "climbs out with '..'")]
    [InlineData("..\\vocab.json", "climbs out with '..'")]
    [InlineData("/etc/passwd", "is an absolute path")]
    [InlineData("C:\\Windows\\vocab.json", "names a drive")]
    [InlineData("", "is empty")]
    public void Manifest_paths_that_leave_the_manifest_folder_are_refused(string relative, string why)
    {
        using var dir = new TempDirectory();
        var spec = new TokenizerSpec { Kind = "sentencepiece", Files = [relative] };

        var e = Assert.Throws<MemScanException>(() => TokenizerFactory.FromSpec(spec, dir.Path));

        Assert.Contains(why, e.Message);
        Assert.Contains("untrusted", e.Message);
    }

    [Fact]
    public void A_manifest_file_that_links_out_of_the_folder_is_refused()
    {
        using var dir = new TempDirectory();
        using var outside = new TempDirectory();
        var target = outside.File("tokenizer.model", "secret");
        File.CreateSymbolicLink(Path.Combine(dir.Path, "tokenizer.model"), target);
        var spec = new TokenizerSpec { Kind = "sentencepiece", Files = ["tokenizer.model"] };

        var e = Assert.Throws<MemScanException>(() => TokenizerFactory.FromSpec(spec, dir.Path));

        Assert.Contains("is a link to", e.Message);
    }

    [Fact]
    public void Unknown_spec_kinds_and_wrong_file_counts_are_refused()
    {
        using var dir = new TempDirectory();

        var kind = Assert.Throws<MemScanException>(() => TokenizerFactory.FromSpec(new TokenizerSpec { Kind = "unigram" }, dir.Path));
        var count = Assert.Throws<MemScanException>(() => TokenizerFactory.FromSpec(new TokenizerSpec { Kind = "gpt2-bpe", Files = ["a.json"] }, dir.Path));
        var chars = Assert.Throws<MemScanException>(() => TokenizerFactory.FromSpec(new TokenizerSpec { Kind = "char" }, dir.Path));
        var wordPiece = Assert.Throws<MemScanException>(() => TokenizerFactory.FromSpec(new TokenizerSpec { Kind = "wordpiece", Files = ["vocab.txt", "merges.txt"] }, dir.Path));

        Assert.Contains("known: char, gpt2-bpe, tiktoken, sentencepiece, wordpiece", kind.Message);
        Assert.Contains("needs 2 file(s)", count.Message);
        Assert.Contains("no symbols", chars.Message);
        Assert.Contains("needs 1 file(s), a WordPiece vocab.txt", wordPiece.Message);
    }

    [Fact]
    public void Bert_by_name_is_the_fetched_uncased_wordpiece()
    {
        var tokenizer = Assert.IsType<WordPieceTextTokenizer>(TokenizerFactory.FromCli("bert"));

        Assert.Equal([7592, 2088], tokenizer.Encode("Hello world"));
        Assert.True(tokenizer.Uncased);
    }

    [Fact]
    public void A_txt_file_or_a_folder_holding_vocab_txt_is_wordpiece()
    {
        using var dir = new TempDirectory();
        var vocab = Path.Combine(dir.Path, "vocab.txt");
        File.Copy(FetchedTokenizers.BertVocabPath, vocab);
        File.WriteAllText(Path.Combine(dir.Path, "config.json"), "{}"); // as a Hugging Face BERT folder has

        var byFile = Assert.IsType<WordPieceTextTokenizer>(TokenizerFactory.FromCli(vocab));
        var byFolder = Assert.IsType<WordPieceTextTokenizer>(TokenizerFactory.FromCli(dir.Path));

        Assert.Equal(vocab, byFile.VocabFile);
        Assert.Equal(vocab, byFolder.VocabFile);
        Assert.Equal([14477, 20961, 3468], byFolder.Encode("unaffable"));
    }

    [Fact]
    public void A_wordpiece_manifest_spec_survives_save_and_load_and_builds_the_tokenizer()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir.Path, "tok"));
        File.Copy(FetchedTokenizers.BertVocabPath, Path.Combine(dir.Path, "tok", "vocab.txt"));
        var manifest = Path.Combine(dir.Path, "model.memscan.json");
        new ModelManifest { ModelFile = "model.onnx", Tokenizer = new TokenizerSpec { Kind = "wordpiece", Files = ["tok/vocab.txt"] } }.Save(manifest);

        var loaded = ModelManifest.Load(manifest).Tokenizer!;
        var fromManifest = Assert.IsType<WordPieceTextTokenizer>(TokenizerFactory.FromCli(manifest));
        var noFiles = Assert.IsType<WordPieceTextTokenizer>(TokenizerFactory.FromSpec(new TokenizerSpec { Kind = "wordpiece" }, dir.Path));

        Assert.Equal("wordpiece", loaded.Kind);
        Assert.Equal(["tok/vocab.txt"], loaded.Files);
        Assert.Equal(Path.Combine(dir.Path, "tok", "vocab.txt"), fromManifest.VocabFile);
        Assert.Equal(Path.GetFullPath(FetchedTokenizers.BertVocabPath), noFiles.VocabFile); // no files: the fetched BERT-uncased
        Assert.Equal(fromManifest.Encode("I like strawberries"), noFiles.Encode("I like strawberries"));
    }
}
