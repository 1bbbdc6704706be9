namespace MemScan.Scanner.Vision;

/// <summary>
/// Images to score: [Count, C, H, W] pixels in [0, 1], each with an id and, where known, a label.
/// What every image source yields and what <see cref="ImageFitter"/> resizes to a model's input.
/// </summary>
public sealed record ImageSet(string Name, float[] Pixels, int Channels, int Height, int Width, int[] Ids, int?[] Labels)
{
    public int Count => Ids.Length;
    public int PixelsPerImage => Channels * Height * Width;
    public bool HasLabels => Labels.Any(l => l is not null);

    public ReadOnlySpan<float> Image(int i) => Pixels.AsSpan(i * PixelsPerImage, PixelsPerImage);

    /// <summary>The first <paramref name="max"/> images (all when max ≤ 0 or ≥ Count).</summary>
    public ImageSet Take(int max)
    {
        if (max <= 0 || max >= Count) return this;
        return this with { Pixels = Pixels[..(max * PixelsPerImage)], Ids = Ids[..max], Labels = Labels[..max] };
    }

    public static ImageSet Create(string name, float[] pixels, int channels, int height, int width, int?[] labels, int[]? ids = null)
    {
        long per = (long)channels * height * width;
        if (per <= 0 || pixels.Length != labels.Length * per)
            throw new MemScanException($"{name}: {labels.Length} images of {channels}×{height}×{width} need {labels.Length * per} pixels, got {pixels.Length}");
        return new ImageSet(name, pixels, channels, height, width, ids ?? Enumerable.Range(0, labels.Length).ToArray(), labels);
    }
}
