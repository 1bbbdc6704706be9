using System.IO.Compression;
using MemScan.Scanner.Corpora;
using Xunit;

namespace MemScan.Scanner.Tests.Corpora;

public sealed class IdxFileTests
{
    // 2 images of 2x3 pixels, then 2 labels.
    private static readonly byte[] Images = [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3, 0, 51, 102, 153, 204, 255, 255, 0, 0, 0, 0, 0];
    private static readonly byte[] Labels = [0, 0, 8, 1, 0, 0, 0, 2, 7, 1];

    [Fact]
    public void Plain_and_gzipped_files_read_the_same_dimensions_and_bytes()
    {
        using var dir = new TempDirectory();
        var plain = dir.File("images-idx3-ubyte");
        File.WriteAllBytes(plain, Images);
        var gz = dir.File("images-idx3-ubyte.gz");
        using (var gzip = new GZipStream(File.Create(gz), CompressionLevel.Fastest))
            gzip.Write(Images);

        var a = IdxFile.Read(plain);
        var b = IdxFile.Read(gz);

        Assert.Equal([2, 2, 3], a.Dimensions);
        Assert.Equal(a.Dimensions, b.Dimensions);
        Assert.Equal(Images[16..], a.Data);
        Assert.Equal(a.Data, b.Data);
    }

    [Fact]
    public void Images_and_labels_become_a_dataset_scaled_to_zero_one()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("i"), Images);
        File.WriteAllBytes(dir.File("l"), Labels);

        var data = IdxImages.ToDataset("tiny", IdxFile.Read(dir.File("i")), IdxFile.Read(dir.File("l")), FashionMnist.ClassNames);

        Assert.Equal(2, data.Count);
        Assert.Equal((2, 3), (data.Height, data.Width));
        Assert.Equal([7, 1], data.Labels);
        Assert.Equal([0f, 0.2f, 0.4f, 0.6f, 0.8f, 1f], data.Image(0).ToArray());
    }

    [Fact]
    public void Truncated_file_is_rejected_with_the_promised_and_found_sizes()
    {
        using var dir = new TempDirectory();
        var path = dir.File("fashion-mnist/train-images-idx3-ubyte");
        File.WriteAllBytes(path, Images[..^3]);

        var e = Assert.Throws<MemScanException>(() => IdxFile.Read(path));

        Assert.Contains("truncated", e.Message);
        Assert.Contains("2x2x3 = 12 bytes", e.Message);
        Assert.Contains("has 9", e.Message);
        Assert.Contains(path, e.Message);
        Assert.Contains("corpora/fetch.sh fashion-mnist", e.Message);
    }

    [Fact]
    public void Truncated_gzip_file_is_rejected()
    {
        using var dir = new TempDirectory();
        var original = File.ReadAllBytes(Path.Combine(FetchedCorpora.Require(CorpusPaths.FashionMnist), "t10k-labels-idx1-ubyte.gz"));
        var path = dir.File("t10k-labels-idx1-ubyte.gz");
        File.WriteAllBytes(path, original[..(original.Length / 2)]);

        var e = Assert.Throws<MemScanException>(() => IdxFile.Read(path));

        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Trailing_bytes_and_wrong_magic_are_rejected()
    {
        using var dir = new TempDirectory();
        var trailing = dir.File("trailing");
        File.WriteAllBytes(trailing, [.. Labels, 9]);
        var wrong = dir.File("wrong");
        File.WriteAllBytes(wrong, [1, 2, 8, 1, 0, 0, 0, 0]);
        var floats = dir.File("floats");
        File.WriteAllBytes(floats, [0, 0, 0x0D, 1, 0, 0, 0, 0]);

        Assert.Contains("1 bytes follow", Assert.Throws<MemScanException>(() => IdxFile.Read(trailing)).Message);
        Assert.Contains("not an IDX file", Assert.Throws<MemScanException>(() => IdxFile.Read(wrong)).Message);
        Assert.Contains("0x0d", Assert.Throws<MemScanException>(() => IdxFile.Read(floats)).Message);
    }

    [Fact]
    public void Missing_fashion_mnist_folder_error_says_to_run_fetch_sh()
    {
        using var dir = new TempDirectory();

        var e = Assert.Throws<MemScanException>(() => FashionMnist.Load(Path.Combine(dir.Path, "fashion-mnist"), train: true));

        Assert.Contains("corpora/fetch.sh fashion-mnist", e.Message);
    }

    [Fact]
    public void Folder_without_idx_files_names_the_file_it_wanted()
    {
        using var dir = new TempDirectory();

        var e = Assert.Throws<MemScanException>(() => FashionMnist.Load(dir.Path, train: false));

        Assert.Contains("t10k-images-idx3-ubyte.gz", e.Message);
        Assert.Contains("corpora/fetch.sh", e.Message);
    }
}
