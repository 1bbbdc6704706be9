using MemScan.Scanner.Onnx;

namespace MemScan.Scanner.Tests.Models;

/// <summary>
/// The smallest real language model in ONNX: logits of the next token are a row of a [vocab, vocab]
/// table picked by the current token (Gather). Full-sequence interface, no state.
/// </summary>
public static class BigramOnnxModel
{
    public static string Write(string path, int vocab, int seed = 1)
    {
        var random = new Random(seed);
        var table = Enumerable.Range(0, vocab * vocab).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        var g = new OnnxGraphBuilder("bigram");
        g.AddInput("input_ids", OnnxElementType.Int64, "batch", "seq");
        g.AddInitializer("table", table, [vocab, vocab]);
        g.AddNode("Gather", ["table", "input_ids"], ["logits"]);
        g.AddOutput("logits", OnnxElementType.Float, "batch", "seq", vocab);
        g.Save(path);
        return path;
    }
}
