using MemScan.Scanner.Corpora;
using Xunit;

namespace MemScan.Scanner.Tests.Corpora;

public sealed class FashionMnistTests
{
    [Fact]
    public void Training_split_has_60000_balanced_28x28_images_of_10_classes()
    {
        var train = FetchedCorpora.FashionMnistTrain;

        Assert.Equal(60_000, train.Count);
        Assert.Equal((1, 28, 28), (train.Channels, train.Height, train.Width));
        Assert.Equal(10, train.ClassCount);
        Assert.Equal("Ankle boot", train.ClassNames[9]);
        Assert.Equal(60_000 * 784, train.Pixels.Length);
        Assert.All(train.Labels, l => Assert.InRange(l, 0, 9));
        Assert.All(train.Labels.CountBy(l => l), c => Assert.Equal(6_000, c.Value));
    }

    [Fact]
    public void Pixels_span_exactly_zero_to_one()
    {
        var train = FetchedCorpora.FashionMnistTrain;

        Assert.Equal(0f, train.Pixels.Min());
        Assert.Equal(1f, train.Pixels.Max());
        Assert.Equal(784, train.Image(59_999).Length);
    }

    [Fact]
    public void Test_split_has_10000_images()
    {
        var test = FashionMnist.Load(FetchedCorpora.Require(CorpusPaths.FashionMnist), train: false);

        Assert.Equal(10_000, test.Count);
        Assert.Equal("fashion-mnist/test", test.Name);
        Assert.NotEqual(FetchedCorpora.FashionMnistTrain.Sha256, test.Sha256);
    }

    [Fact]
    public void Subset_copies_the_chosen_images_and_labels()
    {
        var train = FetchedCorpora.FashionMnistTrain;

        var subset = train.Subset([5, 0]);

        Assert.Equal(2, subset.Count);
        Assert.Equal([train.Labels[5], train.Labels[0]], subset.Labels);
        Assert.True(train.Image(0).SequenceEqual(subset.Image(1)));
    }
}
