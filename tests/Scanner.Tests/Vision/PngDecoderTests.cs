using System.Buffers.Binary;
using System.IO.Compression;
using MemScan.Scanner.Vision;
using Xunit;

namespace MemScan.Scanner.Tests.Vision;

public class PngDecoderTests
{
    /// <summary>A PNG written by hand: signature, IHDR, optional PLTE, one zlib IDAT with the given row filters, IEND (CRCs are not checked by the decoder, so zeros).</summary>
    internal static byte[] Encode(byte[] samples, int width, int height, int colorType, int[] filters, byte[]? palette = null)
    {
        int per = colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 }, stride = width * per;
        var raw = new MemoryStream();
        for (int y = 0; y < height; y++)
        {
            int f = filters[y % filters.Length];
            raw.WriteByte((byte)f);
            for (int x = 0; x < stride; x++)
            {
                int a = x >= per ? samples[y * stride + x - per] : 0, b = y > 0 ? samples[(y - 1) * stride + x] : 0;
                int c = x >= per && y > 0 ? samples[(y - 1) * stride + x - per] : 0;
                int predictor = f switch { 0 => 0, 1 => a, 2 => b, 3 => (a + b) / 2, _ => Paeth(a, b, c) };
                raw.WriteByte((byte)(samples[y * stride + x] - predictor));
            }
        }
        var z = new MemoryStream();
        using (var zs = new ZLibStream(z, CompressionLevel.Optimal, leaveOpen: true)) raw.WriteTo(zs);
        var png = new MemoryStream();
        png.Write([137, 80, 78, 71, 13, 10, 26, 10]);
        void Chunk(string type, byte[] data)
        {
            Span<byte> len = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
            png.Write(len);
            png.Write(System.Text.Encoding.ASCII.GetBytes(type));
            png.Write(data);
            png.Write(new byte[4]);
        }
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;
        ihdr[9] = (byte)colorType;
        Chunk("IHDR", ihdr);
        if (palette is not null) Chunk("PLTE", palette);
        Chunk("IDAT", z.ToArray());
        Chunk("IEND", []);
        return png.ToArray();
    }

    static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    static string Write(byte[] png)
    {
        string dir = Path.Combine(Path.GetTempPath(), "memscan-vision-tests", Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "image.png");
        File.WriteAllBytes(path, png);
        return path;
    }

    [Fact]
    public void Gray_png_with_all_five_row_filters_decodes_to_its_bytes()
    {
        var random = new Random(1);
        var samples = new byte[7 * 10];
        random.NextBytes(samples);
        var (pixels, c, h, w) = PngDecoder.Decode(Write(Encode(samples, 7, 10, 0, [0, 1, 2, 3, 4])));
        Assert.Equal((1, 10, 7), (c, h, w));
        Assert.Equal(samples.Select(b => b / 255f), pixels);
    }

    [Fact]
    public void Rgba_png_decodes_to_planar_rgb_and_drops_alpha()
    {
        var random = new Random(2);
        var samples = new byte[5 * 3 * 4];
        random.NextBytes(samples);
        var (pixels, c, h, w) = PngDecoder.Decode(Write(Encode(samples, 5, 3, 6, [4, 1, 3])));
        Assert.Equal((3, 3, 5), (c, h, w));
        for (int p = 0; p < 15; p++)
            for (int ch = 0; ch < 3; ch++) Assert.Equal(samples[p * 4 + ch] / 255f, pixels[ch * 15 + p]);
    }

    [Fact]
    public void Palette_png_looks_colours_up_and_folder_labels_come_from_numeric_parents()
    {
        byte[] palette = [10, 20, 30, 200, 100, 0];
        var path = Write(Encode([0, 1, 1, 0], 2, 2, 3, [0], palette));
        var (pixels, c, _, _) = PngDecoder.Decode(path);
        Assert.Equal(3, c);
        Assert.Equal(200 / 255f, pixels[1]);
        Assert.Equal(0f, pixels[2 * 4 + 1]);

        string folder = Path.Combine(Path.GetDirectoryName(path)!, "set");
        Directory.CreateDirectory(Path.Combine(folder, "7"));
        File.Copy(path, Path.Combine(folder, "7", "a.png"));
        var set = ImageSources.Load(folder);
        Assert.Equal(7, set.Labels.Single());
    }

    [Fact]
    public void Sixteen_bit_and_interlaced_pngs_are_refused_with_the_field()
    {
        var png = Encode(new byte[4], 2, 2, 0, [0]);
        png[8 + 8 + 8] = 16; // IHDR bit depth
        Assert.Contains("bit depth 16", Assert.Throws<MemScanException>(() => PngDecoder.Decode(Write(png))).Message);
        Assert.Contains("not a PNG", Assert.Throws<MemScanException>(() => PngDecoder.Decode(Write([1, 2, 3, 4, 5, 6, 7, 8, 9]))).Message);
    }
}
