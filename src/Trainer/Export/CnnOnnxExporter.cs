using MemScan.Scanner.Onnx;
using MemScan.Trainer.Models;
using static TorchSharp.torch;

namespace MemScan.Trainer.Export;

/// <summary>
/// Writes a <see cref="SmallCnn"/> as an ONNX graph: <c>images</c> float [batch, C, H, W]
/// (normalized pixels: the manifest's mean/std are applied by the scanner, not baked in, so a
/// foreign model and ours take the same preprocessing path) → <c>logits</c> [batch, classes] and
/// <c>embedding</c> [batch, hidden] (the penultimate ReLU, for k-NN probes). Dropout is left out:
/// the export is the eval-mode network.
/// </summary>
public static class CnnOnnxExporter
{
    public const string Images = "images", Logits = "logits", Embedding = "embedding";
    /// <summary>The flattened conv features (input of fc1): not an output, but named so that
    /// <c>memscan vision --add-embedding-output features</c> can run k-NN on the layer below the
    /// fully connected ones, where memorized (e.g. random) labels have not been arranged yet.</summary>
    public const string Features = "features";

    public static void Export(SmallCnn model, string path)
    {
        var s = model.Shape;
        var g = new OnnxGraphBuilder("small_cnn");
        g.AddInput(Images, OnnxElementType.Float, "batch", s.Channels, s.Height, s.Width);

        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        float[] Data(string name) => parameters[name].detach().contiguous().cpu().data<float>().ToArray();
        long[] Dims(string name) => parameters[name].shape;
        foreach (var name in parameters.Keys) g.AddInitializer(name, Data(name), Dims(name));

        // Conv weights are [out, in, kh, kw] in both torch and ONNX; padding 1 keeps H×W.
        string Conv(string input, string layer) => g.Apply("Conv", [input, $"{layer}.weight", $"{layer}.bias"],
            OnnxAttribute.Ints("kernel_shape", 3, 3), OnnxAttribute.Ints("pads", 1, 1, 1, 1), OnnxAttribute.Ints("strides", 1, 1));
        string Pool(string input) => g.Apply("MaxPool", [input],
            OnnxAttribute.Ints("kernel_shape", 2, 2), OnnxAttribute.Ints("strides", 2, 2));

        var h = Pool(g.Apply("Relu", [Conv(Images, "conv1")]));
        h = Pool(g.Apply("Relu", [Conv(h, "conv2")]));
        g.AddNode("Flatten", [h], [Features], OnnxAttribute.Int("axis", 1)); // NCHW row-major, as torch's flatten(1)
        g.AddValueInfo(Features, OnnxElementType.Float, "batch", s.Flattened);
        // Gemm with transB = 1 takes torch's Linear weight [out, in] as it is.
        var fc1 = g.Apply("Gemm", [Features, "fc1.weight", "fc1.bias"], OnnxAttribute.Int("transB", 1));
        g.AddNode("Relu", [fc1], [Embedding]);
        g.AddNode("Gemm", [Embedding, "fc2.weight", "fc2.bias"], [Logits], OnnxAttribute.Int("transB", 1));

        g.AddOutput(Logits, OnnxElementType.Float, "batch", s.Classes);
        g.AddOutput(Embedding, OnnxElementType.Float, "batch", s.Hidden);
        g.AddMetadata("memscan.architecture", "cnn");
        g.Save(path, producer: "memscan-train");
    }
}
