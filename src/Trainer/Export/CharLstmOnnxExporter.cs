using MemScan.Scanner.Onnx;
using MemScan.Trainer.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace MemScan.Trainer.Export;

/// <summary>
/// Writes a <see cref="CharLstmLm"/> as an ONNX graph (TorchSharp has no exporter):
/// <c>input_ids</c> int64 [batch, seq], <c>h0</c>/<c>c0</c> float [layers, batch, hidden] →
/// <c>logits</c> [batch, seq, vocab], <c>hn</c>/<c>cn</c>. Feeding hn/cn back as h0/c0 continues a
/// sequence, which is what lets the scanner evaluate each shared prefix once.
/// </summary>
public static class CharLstmOnnxExporter
{
    public const string InputIds = "input_ids", H0 = "h0", C0 = "c0", Logits = "logits", Hn = "hn", Cn = "cn";

    // PyTorch stacks LSTM gate blocks as (i, f, g, o); ONNX's LSTM wants (i, o, f, c=g).
    static readonly int[] TorchBlockForOnnxBlock = [0, 3, 1, 2];

    public static void Export(CharLstmLm model, string path)
    {
        var s = model.Shape;
        var g = new OnnxGraphBuilder("char_lstm_lm");
        g.AddInput(InputIds, OnnxElementType.Int64, "batch", "seq");
        g.AddInput(H0, OnnxElementType.Float, s.Layers, "batch", s.Hidden);
        g.AddInput(C0, OnnxElementType.Float, s.Layers, "batch", s.Hidden);

        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        float[] Data(string name) => parameters[name].detach().contiguous().cpu().data<float>().ToArray();

        g.AddInitializer("embed.weight", Data("embed.weight"), [s.Vocab, s.Embedding]);
        var embedded = g.Apply("Gather", ["embed.weight", InputIds]);
        var x = g.Apply("Transpose", [embedded], OnnxAttribute.Ints("perm", 1, 0, 2)); // [seq, batch, E]

        var hs = new List<string>();
        var cs = new List<string>();
        var axis0 = g.Constant("axis0", new long[] { 0 }, [1]);
        var axis1 = g.Constant("axis1", new long[] { 1 }, [1]);
        for (int l = 0; l < s.Layers; l++)
        {
            int input = l == 0 ? s.Embedding : s.Hidden;
            g.AddInitializer($"lstm.W{l}", Reorder(Data($"lstm.weight_ih_l{l}"), s.Hidden, input), [1, 4 * s.Hidden, input]);
            g.AddInitializer($"lstm.R{l}", Reorder(Data($"lstm.weight_hh_l{l}"), s.Hidden, s.Hidden), [1, 4 * s.Hidden, s.Hidden]);
            var bias = Reorder(Data($"lstm.bias_ih_l{l}"), s.Hidden, 1).Concat(Reorder(Data($"lstm.bias_hh_l{l}"), s.Hidden, 1)).ToArray();
            g.AddInitializer($"lstm.B{l}", bias, [1, 8 * s.Hidden]);

            var start = g.Constant($"start{l}", new long[] { l }, [1]);
            var end = g.Constant($"end{l}", new long[] { l + 1 }, [1]);
            var h = g.Apply("Slice", [H0, start, end, axis0]);
            var c = g.Apply("Slice", [C0, start, end, axis0]);
            var outs = g.Apply("LSTM", [x, $"lstm.W{l}", $"lstm.R{l}", $"lstm.B{l}", "", h, c], 3,
                OnnxAttribute.Int("hidden_size", s.Hidden));
            x = g.Apply("Squeeze", [outs[0], axis1]); // [seq, 1, batch, H] → [seq, batch, H]
            hs.Add(outs[1]);
            cs.Add(outs[2]);
        }
        g.AddNode("Concat", hs, [Hn], OnnxAttribute.Int("axis", 0));
        g.AddNode("Concat", cs, [Cn], OnnxAttribute.Int("axis", 0));

        var y = g.Apply("Transpose", [x], OnnxAttribute.Ints("perm", 1, 0, 2)); // [batch, seq, H]
        g.AddInitializer("head.weight_t", Transpose(Data("head.weight"), s.Vocab, s.Hidden), [s.Hidden, s.Vocab]);
        g.AddInitializer("head.bias", Data("head.bias"), [s.Vocab]);
        var projected = g.Apply("MatMul", [y, "head.weight_t"]);
        g.AddNode("Add", [projected, "head.bias"], [Logits]);

        g.AddOutput(Logits, OnnxElementType.Float, "batch", "seq", s.Vocab);
        g.AddOutput(Hn, OnnxElementType.Float, s.Layers, "batch", s.Hidden);
        g.AddOutput(Cn, OnnxElementType.Float, s.Layers, "batch", s.Hidden);
        g.AddMetadata("memscan.architecture", "char-lstm");
        g.Save(path, producer: "memscan-train");
    }

    /// <summary>Reorders the four gate blocks (each <paramref name="hidden"/> rows × <paramref name="columns"/>).</summary>
    static float[] Reorder(float[] torchOrder, int hidden, int columns)
    {
        int block = hidden * columns;
        var onnxOrder = new float[torchOrder.Length];
        for (int b = 0; b < 4; b++)
            Array.Copy(torchOrder, TorchBlockForOnnxBlock[b] * block, onnxOrder, b * block, block);
        return onnxOrder;
    }

    static float[] Transpose(float[] m, int rows, int cols)
    {
        var t = new float[m.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) t[c * rows + r] = m[r * cols + c];
        return t;
    }
}
