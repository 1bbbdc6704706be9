using System.Buffers.Binary;
using System.IO.Compression;

namespace MemScan.Scanner.Vision;

/// <summary>
/// A minimal PNG reader (the repository has no imaging library): 8-bit grayscale, gray+alpha, RGB,
/// RGBA and palette images, non-interlaced, with zlib (System.IO.Compression) and the five row
/// filters. Alpha is dropped. Everything else (16-bit, sub-byte depths, Adam7) is refused with a
/// message naming the file and the field.
/// </summary>
public static class PngDecoder
{
    static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];
    const int MaxSide = 16384;

    /// <summary>The largest PNG file read (a 64-megapixel RGBA image stored uncompressed).</summary>
    public const long MaxBytes = 256L << 20;

    /// <summary>
    /// The most pixels decoded (64 megapixels, 8192×8192): the header alone decides how much memory
    /// decoding takes, so a few hostile bytes promising 16384×16384 RGBA would ask for gigabytes.
    /// </summary>
    public const long MaxPixels = 64L << 20;

    /// <summary>Pixels [C, H, W] in [0, 1], C = 1 for gray, 3 for colour.</summary>
    public static (float[] Pixels, int Channels, int Height, int Width) Decode(string path)
    {
        byte[] file = InputFile.ReadAllBytes(path, "PNG", MaxBytes);
        MemScanException Bad(string why) => new($"PNG {path}: {why}");
        if (file.Length < 8 || !file.AsSpan(0, 8).SequenceEqual(Signature)) throw Bad("not a PNG file (bad signature)");
        int width = 0, height = 0, colorType = -1;
        byte[]? palette = null;
        using var idat = new MemoryStream();
        for (int pos = 8; pos + 12 <= file.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(pos));
            string type = System.Text.Encoding.ASCII.GetString(file, pos + 4, 4);
            if (length < 0 || pos + 12L + length > file.Length) throw Bad($"chunk {type} of {length} bytes runs past the end of the file ({file.Length} bytes)");
            var data = file.AsSpan(pos + 8, length);
            switch (type)
            {
                case "IHDR":
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    int depth = data[8];
                    colorType = data[9];
                    if (depth != 8) throw Bad($"bit depth {depth} is not supported (only 8)");
                    if (data[12] != 0) throw Bad("interlaced (Adam7) images are not supported");
                    if (colorType is not (0 or 2 or 3 or 4 or 6)) throw Bad($"colour type {colorType} is unknown");
                    if (width is <= 0 or > MaxSide || height is <= 0 or > MaxSide) throw Bad($"size {width}×{height} is outside 1..{MaxSide}");
                    if ((long)width * height > MaxPixels) throw Bad($"size {width}×{height} is more than the limit of {MaxPixels:N0} pixels");
                    break;
                case "PLTE": palette = data.ToArray(); break;
                case "IDAT": idat.Write(data); break;
                case "IEND": pos = file.Length; continue;
            }
            pos += 12 + length;
        }
        if (colorType < 0) throw Bad("no IHDR chunk");
        if (colorType == 3 && palette is null) throw Bad("palette image without a PLTE chunk");
        int samples = colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 };
        int stride = width * samples;
        var raw = new byte[(long)height * (stride + 1)];
        idat.Position = 0;
        try
        {
            using var z = new ZLibStream(idat, CompressionMode.Decompress);
            z.ReadExactly(raw);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw Bad($"image data does not inflate to {height} rows of {stride} bytes ({e.Message})");
        }

        var rows = new byte[height * stride];
        for (int y = 0; y < height; y++)
        {
            int filter = raw[y * (stride + 1)];
            var line = raw.AsSpan(y * (stride + 1) + 1, stride);
            var row = rows.AsSpan(y * stride, stride);
            var prior = y > 0 ? rows.AsSpan((y - 1) * stride, stride) : new byte[stride];
            for (int x = 0; x < stride; x++)
            {
                int a = x >= samples ? row[x - samples] : 0, b = prior[x], c = x >= samples ? prior[x - samples] : 0;
                row[x] = (byte)(line[x] + filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw Bad($"row {y} has filter type {filter} (0..4 exist)"),
                });
            }
        }

        int channels = colorType is 0 or 4 ? 1 : 3;
        var pixels = new float[channels * height * width];
        int plane = height * width;
        for (int p = 0; p < plane; p++)
        {
            int s = p * samples;
            if (colorType == 3)
            {
                int index = rows[s];
                if (index * 3 + 2 >= palette!.Length) throw Bad($"palette index {index} is outside the {palette.Length / 3}-entry palette");
                for (int ch = 0; ch < 3; ch++) pixels[ch * plane + p] = palette[index * 3 + ch] / 255f;
            }
            else
                for (int ch = 0; ch < channels; ch++) pixels[ch * plane + p] = rows[s + ch] / 255f;
        }
        return (pixels, channels, height, width);
    }

    static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
