using System.Diagnostics;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Tests.Results;
using MemScan.Scanner.Tokenizers;
using Xunit;

namespace MemScan.Scanner.Tests.Reliability;

/// <summary>
/// A 65 MiB manifest or tokenizer file (one MiB over the limit) is refused from its size alone: in
/// well under a second, without reading it into memory, with a message that gives both numbers.
/// The files are sparse, so the test costs no disk.
/// </summary>
public sealed class HugeInputFileTests : IDisposable
{
    const long Size = 65L << 20;
    readonly TempFolder _dir = new();
    public void Dispose() => _dir.Dispose();

    string Huge(string name)
    {
        string path = _dir.File(name);
        using (var stream = File.Create(path)) stream.SetLength(Size);
        return path;
    }

    static void AssertRefusedFromItsSize(Action load, string path)
    {
        var watch = Stopwatch.StartNew();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<MemScanException>(load);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains($"{path} is {Size} bytes; the limit is {64L << 20} (64 MiB)", e.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed.TotalSeconds:F2} s");
        Assert.True(allocated < 1 << 20, $"allocated {allocated:N0} bytes: the file was read");
    }

    [Fact]
    public void A_65_MiB_manifest_is_refused_from_its_size() =>
        AssertRefusedFromItsSize(() => ModelManifest.Load(Huge("model.memscan.json")), _dir.File("model.memscan.json"));

    [Fact]
    public void A_65_MiB_gpt2_vocabulary_or_merges_file_is_refused_from_its_size()
    {
        string vocab = Huge("vocab.json"), merges = Huge("merges.txt");
        File.WriteAllText(_dir.File("small-merges.txt"), "#version: 0.2\na b\n");
        File.WriteAllText(_dir.File("small-vocab.json"), "{\"a\": 0}");
        AssertRefusedFromItsSize(() => Gpt2BpeTokenizer.Create(vocab, _dir.File("small-merges.txt")), vocab);
        AssertRefusedFromItsSize(() => Gpt2BpeTokenizer.Create(_dir.File("small-vocab.json"), merges), merges);
    }

    [Fact]
    public void A_65_MiB_tiktoken_or_sentencepiece_file_is_refused_from_its_size()
    {
        string ranks = Huge("cl100k_base.tiktoken"), model = Huge("tokenizer.model");
        AssertRefusedFromItsSize(() => TiktokenTokenizer.Create(ranks), ranks);
        AssertRefusedFromItsSize(() => SentencePieceTextTokenizer.Create(model), model);
    }

    [Fact]
    public void A_65_MiB_tokenizer_named_by_a_manifest_is_refused_from_its_size()
    {
        string ranks = Huge("cl100k_base.tiktoken");
        var spec = new TokenizerSpec { Kind = "tiktoken", Files = ["cl100k_base.tiktoken"] };
        AssertRefusedFromItsSize(() => TokenizerFactory.FromSpec(spec, _dir.Path), ranks);
    }
}
