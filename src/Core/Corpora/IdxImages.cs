namespace MemScan.Scanner.Corpora;

/// <summary>Pairs an images IDX file <c>[N, H, W]</c> with a labels IDX file <c>[N]</c> into an <see cref="ImageDataset"/>.</summary>
public static class IdxImages
{
    public static ImageDataset ToDataset(string name, IdxFile images, IdxFile labels, IReadOnlyList<string> classNames)
    {
        if (images.Dimensions.Count != 3)
            throw CorpusPaths.Malformed(images.Path, $"expected images of rank 3 [count, height, width], but found rank {images.Dimensions.Count} ({string.Join('x', images.Dimensions)})");
        if (labels.Dimensions.Count != 1)
            throw CorpusPaths.Malformed(labels.Path, $"expected labels of rank 1 [count], but found rank {labels.Dimensions.Count} ({string.Join('x', labels.Dimensions)})");
        int count = images.Dimensions[0], height = images.Dimensions[1], width = images.Dimensions[2];
        if (labels.Dimensions[0] != count)
            throw CorpusPaths.Malformed(labels.Path, $"expected {count} labels (one per image in {Path.GetFileName(images.Path)}), but found {labels.Dimensions[0]}");

        var labelValues = new int[count];
        for (var i = 0; i < count; i++)
        {
            labelValues[i] = labels.Data[i];
            if (labelValues[i] >= classNames.Count)
                throw CorpusPaths.Malformed(labels.Path, $"label {labelValues[i]} of image {i} is outside [0, {classNames.Count})");
        }

        var source = images.Data;
        var pixels = new float[source.Length];
        Span<float> table = stackalloc float[256];
        for (var v = 0; v < 256; v++) table[v] = v / 255f; // 255 maps to exactly 1
        for (var i = 0; i < source.Length; i++)
            pixels[i] = table[source[i]];

        using var hasher = new ContentHasher();
        hasher.Add("images", source); // decoded bytes: the same hash for .gz and plain files
        hasher.Add("labels", labels.Data);
        return ImageDataset.Create(name, pixels, labelValues, 1, height, width, classNames.Count, classNames, hasher.Finish());
    }
}
