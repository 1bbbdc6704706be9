using MemScan.Scanner.Onnx;

namespace MemScan.Scanner.Tests.Models;

/// <summary>
/// A GPT-2 style incremental model whose logits depend on its whole key/value cache: the cache
/// holds each token's embedding (present = past ++ embed(input_ids)), and the logits are
/// wte[input_ids] + sum(present over positions) · head. A wrong or stale cache gives other numbers,
/// which is what tests of state handling need (the echo model's logits ignore the cache).
/// </summary>
public static class CacheSumOnnxModel
{
    public const int Width = 3;

    public static string Write(string path, int vocab, int seed = 1)
    {
        var random = new Random(seed);
        float[] Table(int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var g = new OnnxGraphBuilder("cache_sum");
        g.AddInput("input_ids", OnnxElementType.Int64, "batch", "seq");
        g.AddInput("past_key_values.0.key", OnnxElementType.Float, "batch", 1, "past", Width);
        g.AddInitializer("embed", Table(vocab * Width), [vocab, Width]);
        g.AddInitializer("wte", Table(vocab * vocab), [vocab, vocab]);
        g.AddInitializer("head", Table(Width * vocab), [Width, vocab]);
        var keys = g.Apply("Unsqueeze", [g.Apply("Gather", ["embed", "input_ids"]), g.Constant("axis1", new long[] { 1 }, [1])]);
        g.AddNode("Concat", ["past_key_values.0.key", keys], ["present.0.key"], OnnxAttribute.Int("axis", 2));
        var sum = g.Apply("ReduceSum", ["present.0.key", g.Constant("axis2", new long[] { 2 }, [1])]); // [batch, 1, 1, width]
        var context = g.Apply("MatMul", [g.Apply("Squeeze", [sum, g.Constant("axis1b", new long[] { 1 }, [1])]), "head"]); // [batch, 1, vocab]
        g.AddNode("Add", [g.Apply("Gather", ["wte", "input_ids"]), context], ["logits"]);
        g.AddOutput("logits", OnnxElementType.Float, "batch", "seq", vocab);
        g.AddOutput("present.0.key", OnnxElementType.Float, "batch", 1, "total", Width);
        g.Save(path);
        return path;
    }
}
