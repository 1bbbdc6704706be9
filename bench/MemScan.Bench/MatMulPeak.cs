using MemScan.Scanner.Onnx;

namespace MemScan.Bench;

/// <summary>The machine's reference: GFLOP/s of ONNX Runtime's MatMul on square float matrices.</summary>
public static class MatMulPeak
{
    public static double Measure(string dir, int n = 1024, int threads = 0)
    {
        string path = Path.Combine(dir, $"matmul{n}.onnx");
        var random = new Random(1);
        var g = new OnnxGraphBuilder("matmul");
        g.AddInput("a", OnnxElementType.Float, n, n);
        g.AddInitializer("b", Enumerable.Range(0, n * n).Select(_ => (float)random.NextDouble()).ToArray(), [n, n]);
        g.AddNode("MatMul", ["a", "b"], ["c"]);
        g.AddOutput("c", OnnxElementType.Float, n, n);
        g.Save(path);
        using var session = OnnxSession.Open(path, new OnnxSessionOptions { IntraOpThreads = threads });
        var a = Enumerable.Range(0, n * n).Select(_ => (float)random.NextDouble()).ToArray();
        var input = new[] { OnnxInput.Float("a", a, n, n) };
        const int runs = 8;
        double seconds = Timing.BestSeconds(() => { for (int i = 0; i < runs; i++) session.Run(input, "c"); });
        return 2.0 * n * n * n * runs / seconds / 1e9;
    }
}
