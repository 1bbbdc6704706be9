using static TorchSharp.torch;

namespace MemScan.Trainer.Training;

/// <summary>Bytes of C×H×W images to one normalized float tensor [n, C, H, W]: (byte / 255 - mean_c) / std_c.</summary>
public static class ImageBatch
{
    public static Tensor From(IReadOnlyList<byte[]> images, int channels, int height, int width, IReadOnlyList<double> mean, IReadOnlyList<double> std)
    {
        int plane = height * width, perImage = channels * plane;
        var data = new float[(long)images.Count * perImage];
        for (int i = 0; i < images.Count; i++)
        {
            var image = images[i];
            if (image.Length != perImage)
                throw new ArgumentException($"image {i} has {image.Length} bytes, expected {channels}×{height}×{width} = {perImage}");
            for (int c = 0; c < channels; c++)
            {
                float m = (float)mean[c], s = (float)std[c];
                int offset = i * perImage + c * plane;
                for (int p = 0; p < plane; p++) data[offset + p] = (image[c * plane + p] / 255f - m) / s;
            }
        }
        return tensor(data, [images.Count, channels, height, width]);
    }
}
