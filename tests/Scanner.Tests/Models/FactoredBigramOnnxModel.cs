using MemScan.Scanner.Onnx;

namespace MemScan.Scanner.Tests.Models;

/// <summary>
/// A bigram language model with a vocabulary as wide as GPT-2's: the next token's logits are the
/// current token's embedding [rank] times a [rank, vocab] head, since a [vocab, vocab] table of
/// 50,257² floats would not fit a test. Full-sequence interface, no state.
/// </summary>
public static class FactoredBigramOnnxModel
{
    public static string Write(string path, int vocab, int rank = 4, int seed = 1)
    {
        var random = new Random(seed);
        float[] Weights(int count) => Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        var g = new OnnxGraphBuilder("factored-bigram");
        g.AddInput("input_ids", OnnxElementType.Int64, "batch", "seq");
        g.AddInitializer("embedding", Weights(vocab * rank), [vocab, rank]);
        g.AddInitializer("head", Weights(rank * vocab), [rank, vocab]);
        g.AddNode("Gather", ["embedding", "input_ids"], ["embedded"]);
        g.AddNode("MatMul", ["embedded", "head"], ["logits"]);
        g.AddOutput("logits", OnnxElementType.Float, "batch", "seq", vocab);
        g.Save(path);
        return path;
    }
}
