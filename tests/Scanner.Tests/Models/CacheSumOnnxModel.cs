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

    /// <param name="withPast">false writes the decoder without past of a pair (present = this call's keys).</param>
    /// <param name="staticBatch">batch axis fixed at 1, as static-shape exports have it.</param>
    /// <param name="past">, <param name="present"> the cache's names (a GenAI export may name them otherwise).</param>
    /// <param name="rewritePast">present = (past / 2) ++ new: a graph whose present is not its past with the new positions appended.</param>
    /// <param name="half">a float16 cache (the logits stay float).</param>
    public static string Write(string path, int vocab, int seed = 1, bool withPast = true, bool staticBatch = false,
        string past = "past_key_values.0.key", string present = "present.0.key", bool rewritePast = false, bool half = false)
    {
        var cacheType = half ? OnnxElementType.Float16 : OnnxElementType.Float;
        var random = new Random(seed);
        float[] Table(int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var g = new OnnxGraphBuilder("cache_sum");
        OnnxDim batch = staticBatch ? 1 : "batch";
        g.AddInput("input_ids", OnnxElementType.Int64, batch, "seq");
        if (withPast) g.AddInput(past, cacheType, batch, 1, "past", Width);
        g.AddInitializer("embed", Table(vocab * Width), [vocab, Width]);
        g.AddInitializer("wte", Table(vocab * vocab), [vocab, vocab]);
        g.AddInitializer("head", Table(Width * vocab), [Width, vocab]);
        var keys = g.Apply("Unsqueeze", [g.Apply("Gather", ["embed", "input_ids"]), g.Constant("axis1", new long[] { 1 }, [1])]);
        if (half) keys = g.Apply("Cast", [keys], OnnxAttribute.Int("to", (long)OnnxElementType.Float16));
        string kept = past;
        if (withPast && rewritePast)
        {
            var halved = g.Apply("Mul", [g.Apply("Cast", [past], OnnxAttribute.Int("to", (long)OnnxElementType.Float)), g.Constant("half", [0.5f], [])]);
            kept = half ? g.Apply("Cast", [halved], OnnxAttribute.Int("to", (long)OnnxElementType.Float16)) : halved;
        }
        if (withPast) g.AddNode("Concat", [kept, keys], [present], OnnxAttribute.Int("axis", 2));
        else g.AddNode("Identity", [keys], [present]);
        var summed = half ? g.Apply("Cast", [present], OnnxAttribute.Int("to", (long)OnnxElementType.Float)) : present;
        var sum = g.Apply("ReduceSum", [summed, g.Constant("axis2", new long[] { 2 }, [1])]); // [batch, 1, 1, width]
        var context = g.Apply("MatMul", [g.Apply("Squeeze", [sum, g.Constant("axis1b", new long[] { 1 }, [1])]), "head"]); // [batch, 1, vocab]
        g.AddNode("Add", [g.Apply("Gather", ["wte", "input_ids"]), context], ["logits"]);
        g.AddOutput("logits", OnnxElementType.Float, batch, "seq", vocab);
        g.AddOutput(present, cacheType, batch, 1, "total", Width);
        g.Save(path);
        return path;
    }
}
