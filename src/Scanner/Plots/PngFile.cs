using MemScan.Scanner.Results;
using ScottPlot;

namespace MemScan.Scanner.Plots;

/// <summary>Renders a ScottPlot chart to PNG bytes and writes them atomically (<see cref="AtomicFile"/>).</summary>
internal static class PngFile
{
    public const int DefaultWidth = 800;
    public const int DefaultHeight = 600;

    public static void Save(Plot plot, string path, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(plot);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (width < 16 || height < 16 || width > 20000 || height > 20000)
            throw new MemScanException($"a plot must be 16 to 20000 pixels on each side, got {width} x {height}");
        byte[] png = plot.GetImageBytes(width, height, ImageFormat.Png);
        AtomicFile.WriteAllBytes(path, png);
    }
}
