using MemScan.Scanner.Corpora;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Scanning;
using MemScan.Scanner.Tests.Corpora;
using MemScan.Scanner.Tokenizers;
using MemScan.Scanner.Tokenizers.HuggingFace;
using Xunit;

namespace MemScan.Scanner.Tests.Tokenizers;

/// <summary>A tokenizer.json reaches a scan as --tokenizer FILE, as a model folder, and as a manifest kind.</summary>
public sealed class TokenizerJsonSelectionTests
{
    // Llama-3's ids for "Hello world" (Fixtures/llama3.reference-ids.json).
    static readonly int[] HelloWorld = [9906, 1917];

    [Fact]
    public void Tokenizer_option_takes_a_tokenizer_json_path()
    {
        var tokenizer = Assert.IsType<HuggingFaceTokenizer>(TokenizerFactory.FromCli(FetchedHuggingFace.PathOf(CorpusPaths.HfLlama3)));

        Assert.Equal(HelloWorld, tokenizer.Encode("Hello world"));
        Assert.Equal("tokenizer.json bpe byte-level (280147 merges) (128256 tokens, tokenizer.json)", tokenizer.Describe());
    }

    [Fact]
    public void A_model_folder_with_tokenizer_json_uses_it_before_the_other_files_beside_it()
    {
        using var dir = new TempDirectory();
        File.Copy(FetchedHuggingFace.PathOf(CorpusPaths.HfLlama3), Path.Combine(dir.Path, "tokenizer.json"));
        File.Copy(FetchedTokenizers.BertVocabPath, Path.Combine(dir.Path, "vocab.txt")); // would be WordPiece alone

        var tokenizer = Assert.IsType<HuggingFaceTokenizer>(TokenizerSelection.For(null, null, dir.Path));

        Assert.Equal(HelloWorld, tokenizer.Encode("Hello world"));
    }

    [Fact]
    public void A_manifest_of_kind_tokenizer_json_names_the_file_beside_it()
    {
        using var dir = new TempDirectory();
        File.Copy(FetchedHuggingFace.PathOf(CorpusPaths.HfLlama3), Path.Combine(dir.Path, "llama3.tokenizer.json"));
        var manifestPath = Path.Combine(dir.Path, "model" + ModelManifest.FileSuffix);
        new ModelManifest { Tokenizer = new TokenizerSpec { Kind = TokenizerFactory.TokenizerJsonKind, Files = ["llama3.tokenizer.json"] } }.Save(manifestPath);

        var tokenizer = Assert.IsType<HuggingFaceTokenizer>(TokenizerSelection.For(ModelManifest.Load(manifestPath), manifestPath, null));

        Assert.Equal(HelloWorld, tokenizer.Encode("Hello world"));
        Assert.Contains(TokenizerFactory.TokenizerJsonKind, TokenizerFactory.SpecKinds);
    }

    [Fact]
    public void A_manifest_tokenizer_json_outside_its_folder_is_refused()
    {
        using var dir = new TempDirectory();
        var manifestPath = Path.Combine(dir.Path, "model" + ModelManifest.FileSuffix);
        var spec = new TokenizerSpec { Kind = TokenizerFactory.TokenizerJsonKind, Files = ["../tokenizer.json"] };

        var e = Assert.Throws<MemScanException>(() => TokenizerFactory.FromSpec(spec, dir.Path));

        Assert.Contains("climbs out with '..'", e.Message);
    }

    [Theory]
    [InlineData(CorpusPaths.HfLlama2)]
    [InlineData(CorpusPaths.HfLlama3)]
    [InlineData(CorpusPaths.HfQwen3)]
    [InlineData(CorpusPaths.HfGemma3)]
    public void Each_real_file_passes_the_scan_round_trip_check(string corpus)
    {
        var tokenizer = FetchedHuggingFace.Load(corpus);

        TokenizerCompatibility.CheckRoundTrip(tokenizer);
        Assert.Null(TokenizerCompatibility.CheckVocabulary(tokenizer, tokenizer.VocabSize));
    }
}
