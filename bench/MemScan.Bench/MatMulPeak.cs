using MemScan.Scanner.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace MemScan.Bench;

/// <summary>
/// The machine's reference: the best GFLOP/s of ONNX Runtime's MatMul over a few shapes (square
/// 1024 and 2048, and the GPT head's [512, d] × [d, 50,257]), best of several runs each, outputs
/// left in ORT's memory (no copy). Achieved figures are quoted against the best of these.
/// </summary>
public static class MatMulPeak
{
    /// <summary>Where the last measurement ran ("cpu", "cuda", or the CUDA fallback note).</summary>
    public static string DeviceNote { get; private set; } = "cpu";

    public static (double Best, string Detail) Measure(string dir, OnnxSessionOptions options, int headDim = 128)
    {
        var shapes = new (string Name, int M, int K, int N)[] { ("1024²", 1024, 1024, 1024), ("2048²", 2048, 2048, 2048), ($"512×{headDim}×50257", 512, headDim, 50257) };
        var parts = new List<string>();
        double best = 0;
        foreach (var (name, m, k, n) in shapes)
        {
            double g = Measure(dir, options, m, k, n);
            parts.Add($"{name} {g:F1}");
            best = Math.Max(best, g);
        }
        return (best, string.Join(", ", parts));
    }

    static double Measure(string dir, OnnxSessionOptions options, int m, int k, int n)
    {
        string path = Path.Combine(dir, $"matmul{m}x{k}x{n}.onnx");
        var random = new Random(1);
        var g = new OnnxGraphBuilder("matmul");
        g.AddInput("a", OnnxElementType.Float, m, k);
        g.AddInitializer("b", Enumerable.Range(0, k * n).Select(_ => (float)random.NextDouble()).ToArray(), [k, n]);
        g.AddNode("MatMul", ["a", "b"], ["c"]);
        g.AddOutput("c", OnnxElementType.Float, m, n);
        g.Save(path);
        using var session = OnnxSession.Open(path, options);
        DeviceNote = session.DeviceNote ?? session.Device.ToString().ToLowerInvariant();
        var a = Enumerable.Range(0, m * k).Select(_ => (float)random.NextDouble()).ToArray();
        using var input = OrtValue.CreateTensorValueFromMemory(a, [m, k]);
        double flops = 2.0 * m * k * n;
        int runs = Math.Max(2, (int)(4e9 / flops));
        double seconds = Timing.BestSeconds(() =>
        {
            for (int i = 0; i < runs; i++)
            {
                using var outputs = session.Run(["a"], [input], ["c"]);
            }
        }, repetitions: 5);
        return flops * runs / seconds / 1e9;
    }
}
