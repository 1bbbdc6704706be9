using MemScan.Scanner.Onnx;

namespace MemScan.Scanner.Tests.Sweeps;

/// <summary>
/// A random-weight char-LSTM language model in the Trainer's export layout (input_ids, h0/c0 →
/// logits, hn/cn), so sweeps are also tested on a stateful model that decodes incrementally, like
/// the demo model, not only on the full-sequence bigram.
/// </summary>
internal static class TinyLstmOnnxModel
{
    /// <param name="half">float16 state and logits (the LSTM itself computes in float between Casts), as a half-precision export has them.</param>
    public static string Write(string path, int vocab, int embedding = 6, int hidden = 8, int seed = 3, bool half = false)
    {
        var rng = new Random(seed);
        float[] Rand(int n, double scale) => Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() - 0.5) * scale)).ToArray();
        var g = new OnnxGraphBuilder("tiny_lstm");
        g.AddInput("input_ids", OnnxElementType.Int64, "batch", "seq");
        var stateType = half ? OnnxElementType.Float16 : OnnxElementType.Float;
        g.AddInput("h0", stateType, 1, "batch", hidden);
        g.AddInput("c0", stateType, 1, "batch", hidden);
        // ONNX's TensorProto type codes: 1 float, 10 float16.
        string ToFloat(string x) => half ? g.Apply("Cast", [x], OnnxAttribute.Int("to", 1)) : x;
        g.AddInitializer("embed", Rand(vocab * embedding, 2), [vocab, embedding]);
        var x = g.Apply("Transpose", [g.Apply("Gather", ["embed", "input_ids"])], OnnxAttribute.Ints("perm", 1, 0, 2));
        g.AddInitializer("W", Rand(4 * hidden * embedding, 2), [1, 4 * hidden, embedding]);
        g.AddInitializer("R", Rand(4 * hidden * hidden, 2), [1, 4 * hidden, hidden]);
        g.AddInitializer("B", Rand(8 * hidden, 1), [1, 8 * hidden]);
        string Out(string name) => half ? name + "_float" : name;
        g.AddNode("LSTM", [x, "W", "R", "B", "", ToFloat("h0"), ToFloat("c0")], ["y", Out("hn"), Out("cn")], OnnxAttribute.Int("hidden_size", hidden));
        var squeezed = g.Apply("Squeeze", ["y", g.Constant("axis1", new long[] { 1 }, [1])]);
        var y = g.Apply("Transpose", [squeezed], OnnxAttribute.Ints("perm", 1, 0, 2));
        g.AddInitializer("head", Rand(hidden * vocab, 6), [hidden, vocab]);
        g.AddInitializer("bias", Rand(vocab, 1), [vocab]);
        g.AddNode("Add", [g.Apply("MatMul", [y, "head"]), "bias"], [Out("logits")]);
        if (half)
            foreach (var name in new[] { "logits", "hn", "cn" })
                g.AddNode("Cast", [Out(name)], [name], OnnxAttribute.Int("to", 10));
        g.AddOutput("logits", stateType, "batch", "seq", vocab);
        g.AddOutput("hn", stateType, 1, "batch", hidden);
        g.AddOutput("cn", stateType, 1, "batch", hidden);
        g.Save(path);
        return path;
    }
}
