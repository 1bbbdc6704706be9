using MemScan.Scanner.Results;

namespace MemScan.Scanner.Vision;

/// <summary>
/// A classifier's examples.parquet in memory: the rows (role, canary kind, included, labels) and
/// their pixels as an <see cref="ImageSet"/> whose labels are the training labels.
/// </summary>
public sealed record ExampleSet(IReadOnlyList<ExampleRow> Rows, ImageSet Images)
{
    /// <summary>
    /// The largest examples file read (its pixels become four times as many bytes of floats): the
    /// trainer's examples of a Fashion-MNIST family are ~1 MiB, 100,000 CIFAR-sized images 300 MiB.
    /// </summary>
    public const long MaxBytes = 1L << 30;

    public static ExampleSet Load(string path, int channels = 0, int height = 0, int width = 0)
    {
        InputFile.Require(path, "examples file", MaxBytes);
        var rows = ParquetTable<ExampleRow>.ReadAsync(path).GetAwaiter().GetResult();
        if (rows.Count == 0) throw new MemScanException($"{path} holds no examples");
        int per = rows[0].Pixels.Length;
        if (channels == 0)
        {
            // Without a manifest: square single-channel images (MNIST-like) are the only guess that is safe.
            int side = (int)Math.Round(Math.Sqrt(per));
            if (side * side != per) throw new MemScanException($"{path}: examples of {per} pixels are not square gray images; pass the model's manifest");
            (channels, height, width) = (1, side, side);
        }
        if (per != channels * height * width)
            throw new MemScanException($"{path}: example {rows[0].ExampleId} has {per} pixels, the model takes {channels}×{height}×{width} = {channels * height * width}");
        if ((long)rows.Count * per > Array.MaxLength)
            throw new MemScanException($"{path}: {rows.Count} examples of {per} pixels are more than one array holds ({Array.MaxLength}); split the examples");
        var pixels = new float[(long)rows.Count * per];
        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            if (r.Pixels.Length != per) throw new MemScanException($"{path}: example {r.ExampleId} has {r.Pixels.Length} pixels, the others {per}");
            if (r.Role is not (ExampleRow.Member or ExampleRow.NonMember or ExampleRow.Canary))
                throw new MemScanException($"{path}: example {r.ExampleId} has role '{r.Role}' (member, non-member or canary)");
            for (int p = 0; p < per; p++) pixels[(long)i * per + p] = r.Pixels[p] / 255f;
        }
        var images = ImageSet.Create(Path.GetFileName(path), pixels, channels, height, width,
            rows.Select(r => (int?)r.Label).ToArray(), rows.Select(r => r.ExampleId).ToArray());
        return new ExampleSet(rows, images);
    }
}
