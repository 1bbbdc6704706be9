namespace MemScan.Scanner.Vision;

/// <summary>
/// Fits images to a model's input: channels (gray is repeated to RGB, RGB averaged to gray), then
/// size by bilinear interpolation — stretched to H×W, or (<see cref="ClassifierProfile.PadRight"/>)
/// scaled to height H keeping the aspect ratio and padded on the right with zeros, which is how
/// PaddleOCR prepares text lines for its direction classifier.
/// </summary>
public static class ImageFitter
{
    public static ImageSet Fit(ImageSet images, int channels, int height, int width, string resize = ClassifierProfile.Stretch)
    {
        if (images.Channels == channels && images.Height == height && images.Width == width) return images;
        int per = channels * height * width;
        var pixels = new float[(long)images.Count * per];
        for (int i = 0; i < images.Count; i++)
        {
            var source = images.Image(i);
            for (int c = 0; c < channels; c++)
            {
                var plane = Channel(source, images.Channels, images.Height * images.Width, c, channels);
                int targetWidth = width;
                if (resize == ClassifierProfile.PadRight)
                    targetWidth = Math.Clamp((int)Math.Ceiling((double)height * images.Width / images.Height), 1, width);
                Bilinear(plane, images.Height, images.Width, pixels.AsSpan(i * per + c * height * width, height * width), height, width, targetWidth);
            }
        }
        return images with
        {
            Name = $"{images.Name} fitted to {channels}×{height}×{width}",
            Pixels = pixels, Channels = channels, Height = height, Width = width,
        };
    }

    static float[] Channel(ReadOnlySpan<float> image, int sourceChannels, int plane, int c, int targetChannels)
    {
        var result = new float[plane];
        if (sourceChannels == targetChannels) image.Slice(c * plane, plane).CopyTo(result);
        else if (sourceChannels == 1) image[..plane].CopyTo(result);
        else
            for (int p = 0; p < plane; p++)
            {
                float sum = 0;
                for (int s = 0; s < sourceChannels; s++) sum += image[s * plane + p];
                result[p] = sum / sourceChannels;
            }
        return result;
    }

    /// <summary>Samples the source at pixel centres (align_corners = false) into the first <paramref name="usedWidth"/> columns; the rest stay 0.</summary>
    static void Bilinear(float[] src, int sh, int sw, Span<float> dst, int dh, int dw, int usedWidth)
    {
        for (int y = 0; y < dh; y++)
        {
            double fy = Math.Clamp((y + 0.5) * sh / dh - 0.5, 0, sh - 1);
            int y0 = (int)fy, y1 = Math.Min(y0 + 1, sh - 1);
            double wy = fy - y0;
            for (int x = 0; x < usedWidth; x++)
            {
                double fx = Math.Clamp((x + 0.5) * sw / usedWidth - 0.5, 0, sw - 1);
                int x0 = (int)fx, x1 = Math.Min(x0 + 1, sw - 1);
                double wx = fx - x0;
                double top = src[y0 * sw + x0] * (1 - wx) + src[y0 * sw + x1] * wx;
                double bottom = src[y1 * sw + x0] * (1 - wx) + src[y1 * sw + x1] * wx;
                dst[y * dw + x] = (float)(top * (1 - wy) + bottom * wy);
            }
        }
    }
}
