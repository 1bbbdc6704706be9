using MemScan.Scanner.Onnx;

namespace MemScan.Scanner.Similarity;

/// <summary>A tensor <c>memscan compare</c> reads, under the name its rows carry ("block1", or the tensor's own name).</summary>
public sealed record NamedLayer(string Label, string Tensor);

/// <summary>
/// The hidden states <c>memscan compare --layers auto</c> reads from a language model, in depth order:
/// <list type="bullet">
/// <item>a transformer's residual stream where each block starts and the final norm starts: the input of
/// every <c>LayerNormalization</c> whose scale is a <c>…ln_1.weight</c> (block i's input, i.e. the
/// embeddings for block 0 and block i−1's output after) or <c>…ln_f.weight</c> (the last block's
/// output) — GPT-2's naming, which the Trainer's GPT export keeps;</item>
/// <item>a recurrent model's per-layer output sequence: output Y of every <c>LSTM</c>/<c>GRU</c>/<c>RNN</c> node;</item>
/// <item>then the logits.</item>
/// </list>
/// State outputs (presents, h/c) are never taken: they are the same hidden states again, or the last position only.
/// </summary>
public static class LmLayerOutputs
{
    static readonly HashSet<string> Recurrent = new(StringComparer.Ordinal) { "LSTM", "GRU", "RNN" };

    public static IReadOnlyList<NamedLayer> Choose(OnnxModelInfo model, string? layers, string logits)
    {
        if (layers is not (null or LayerOutputs.Auto))
            return LayerOutputs.Choose(model, layers).Select(t => new NamedLayer(t, t)).ToList();
        var chosen = new List<NamedLayer>();
        var graph = model.Model.Graph;
        var starts = graph.Node.Where(n => n.OpType == "LayerNormalization" && n.Input.Count > 1 &&
                                           (n.Input[1].EndsWith("ln_1.weight", StringComparison.Ordinal) || n.Input[1].EndsWith("ln_f.weight", StringComparison.Ordinal)))
            .Select(n => n.Input[0]).Distinct().ToList();
        for (int i = 0; i < starts.Count; i++)
            chosen.Add(new NamedLayer(i == 0 ? "embedding" : $"block{i - 1}", starts[i]));
        var recurrent = graph.Node.Where(n => Recurrent.Contains(n.OpType) && n.Output.Count > 0 && n.Output[0].Length > 0).Select(n => n.Output[0]).ToList();
        for (int i = 0; i < recurrent.Count; i++)
            chosen.Add(new NamedLayer($"rnn{i}", recurrent[i]));
        chosen.Add(new NamedLayer("logits", logits));
        return chosen;
    }
}
