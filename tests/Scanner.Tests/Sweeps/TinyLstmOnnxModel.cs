using MemScan.Scanner.Onnx;

namespace MemScan.Scanner.Tests.Sweeps;

/// <summary>
/// A random-weight char-LSTM language model in the Trainer's export layout (input_ids, h0/c0 →
/// logits, hn/cn), so sweeps are also tested on a stateful model that decodes incrementally, like
/// the demo model, not only on the full-sequence bigram.
/// </summary>
internal static class TinyLstmOnnxModel
{
    public static string Write(string path, int vocab, int embedding = 6, int hidden = 8, int seed = 3)
    {
        var rng = new Random(seed);
        float[] Rand(int n, double scale) => Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() - 0.5) * scale)).ToArray();
        var g = new OnnxGraphBuilder("tiny_lstm");
        g.AddInput("input_ids", OnnxElementType.Int64, "batch", "seq");
        g.AddInput("h0", OnnxElementType.Float, 1, "batch", hidden);
        g.AddInput("c0", OnnxElementType.Float, 1, "batch", hidden);
        g.AddInitializer("embed", Rand(vocab * embedding, 2), [vocab, embedding]);
        var x = g.Apply("Transpose", [g.Apply("Gather", ["embed", "input_ids"])], OnnxAttribute.Ints("perm", 1, 0, 2));
        g.AddInitializer("W", Rand(4 * hidden * embedding, 2), [1, 4 * hidden, embedding]);
        g.AddInitializer("R", Rand(4 * hidden * hidden, 2), [1, 4 * hidden, hidden]);
        g.AddInitializer("B", Rand(8 * hidden, 1), [1, 8 * hidden]);
        g.AddNode("LSTM", [x, "W", "R", "B", "", "h0", "c0"], ["y", "hn", "cn"], OnnxAttribute.Int("hidden_size", hidden));
        var squeezed = g.Apply("Squeeze", ["y", g.Constant("axis1", new long[] { 1 }, [1])]);
        var y = g.Apply("Transpose", [squeezed], OnnxAttribute.Ints("perm", 1, 0, 2));
        g.AddInitializer("head", Rand(hidden * vocab, 6), [hidden, vocab]);
        g.AddInitializer("bias", Rand(vocab, 1), [vocab]);
        g.AddNode("Add", [g.Apply("MatMul", [y, "head"]), "bias"], ["logits"]);
        g.AddOutput("logits", OnnxElementType.Float, "batch", "seq", vocab);
        g.AddOutput("hn", OnnxElementType.Float, 1, "batch", hidden);
        g.AddOutput("cn", OnnxElementType.Float, 1, "batch", hidden);
        g.Save(path);
        return path;
    }
}
