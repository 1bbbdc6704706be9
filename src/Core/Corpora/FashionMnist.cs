namespace MemScan.Scanner.Corpora;

/// <summary>
/// Fashion-MNIST (Zalando; Debian package <c>dataset-fashion-mnist</c>): 60,000 training and 10,000
/// test grayscale 28x28 images of 10 clothing classes, as the four IDX files
/// <c>{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]</c>.
/// </summary>
public static class FashionMnist
{
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>The training split (<paramref name="train"/>) or the test split from <paramref name="directory"/>.</summary>
    public static ImageDataset Load(string directory, bool train)
    {
        CorpusPaths.RequireDirectory(directory);
        var split = train ? "train" : "t10k";
        var images = IdxFile.Read(Find(directory, $"{split}-images-idx3-ubyte"));
        var labels = IdxFile.Read(Find(directory, $"{split}-labels-idx1-ubyte"));
        return IdxImages.ToDataset($"fashion-mnist/{(train ? "train" : "test")}", images, labels, ClassNames);
    }

    public static ImageDataset LoadDefault(bool train) => Load(CorpusPaths.For(CorpusPaths.FashionMnist), train);

    private static string Find(string directory, string stem)
    {
        foreach (var name in new[] { stem + ".gz", stem })
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path)) return path;
        }
        throw CorpusPaths.MissingFile(directory, $"{stem}.gz or {stem}");
    }
}
