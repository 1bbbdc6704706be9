using MemScan.Scanner.Onnx;

namespace MemScan.Scanner.Tests.Models;

/// <summary>
/// A full-sequence language model with a learned position table, the shape of a GPT-2 export
/// without the attention: logits = wte[input_ids] + wpe[position_ids], where position_ids go
/// through a Cast to int32 and a Reshape first (as exporters put them). A position past the last
/// of <c>context</c> rows makes ONNX Runtime's Gather fail, as in a real transformer.
/// </summary>
public static class PositionTableOnnxModel
{
    public static string Write(string path, int vocab, int context, int seed = 1)
    {
        var random = new Random(seed);
        float[] Table(int rows) => Enumerable.Range(0, rows * vocab).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        var g = new OnnxGraphBuilder("positions");
        g.AddInput("input_ids", OnnxElementType.Int64, "batch", "seq");
        g.AddInput("position_ids", OnnxElementType.Int64, "batch", "seq");
        g.AddInitializer("wte", Table(vocab), [vocab, vocab]);
        g.AddInitializer("wpe", Table(context), [context, vocab]);
        var cast = g.Apply("Cast", ["position_ids"], OnnxAttribute.Int("to", (long)OnnxElementType.Int32));
        var positions = g.Apply("Reshape", [cast, g.Constant("shape", new long[] { -1, 0 }, [2])]);
        g.AddNode("Add", [g.Apply("Gather", ["wte", "input_ids"]), g.Apply("Gather", ["wpe", positions])], ["logits"]);
        g.AddOutput("logits", OnnxElementType.Float, "batch", "seq", vocab);
        g.Save(path);
        return path;
    }
}
