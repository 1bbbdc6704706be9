using MemScan.Scanner.Onnx;

namespace MemScan.Scanner.Similarity;

/// <summary>
/// The intermediate tensors <c>memscan compare</c> reads. <c>--layers auto</c> takes every
/// activation's output in graph order (ONNX nodes are topologically sorted, so this is the order
/// of the blocks) and then the graph's own float outputs (the classifier's embedding and logits),
/// each once; named tensors are taken as given. <see cref="Expose"/> writes a copy of the model in
/// which each chosen tensor is also a graph output, through <see cref="OnnxGraphEditor.AddOutput(ModelProto, string, OnnxElementType)"/>,
/// the same edit <c>memscan vision --add-embedding-output</c> makes.
/// </summary>
public static class LayerOutputs
{
    public const string Auto = "auto";

    /// <summary>Nonlinearities whose output closes a block.</summary>
    static readonly HashSet<string> Activations = new(StringComparer.Ordinal)
    {
        "Relu", "LeakyRelu", "PRelu", "Gelu", "Tanh", "Sigmoid", "Elu", "Selu", "Softplus", "Softsign", "HardSigmoid", "HardSwish", "Mish",
    };

    public static IReadOnlyList<string> Choose(OnnxModelInfo model, string? layers)
    {
        var graph = model.Model.Graph;
        if (layers is null or Auto)
        {
            var chosen = graph.Node.Where(n => Activations.Contains(n.OpType) && n.Output.Count > 0 && n.Output[0].Length > 0)
                .Select(n => n.Output[0]).ToList();
            foreach (var output in graph.Output.Where(o => o.Type?.TensorType?.ElemType == (int)OnnxElementType.Float))
                if (!chosen.Contains(output.Name)) chosen.Add(output.Name);
            if (chosen.Count == 0) throw new MemScanException($"{model.Path}: no activation nodes or float outputs to compare; name tensors with --layers A,B");
            return chosen;
        }
        var named = layers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        if (named.Count == 0) throw new MemScanException("--layers is empty: give 'auto' or tensor names separated by commas");
        return named;
    }

    /// <summary>Writes <paramref name="outputPath"/>: the model with every tensor of <paramref name="tensors"/> a graph output.</summary>
    public static void Expose(OnnxModelInfo model, IReadOnlyList<string> tensors, string outputPath)
    {
        if (model.HasExternalData)
            throw new MemScanException($"{model.Path} keeps its weights in external files; memscan compare reads single-file models");
        var edited = model.LoadWithWeights();
        foreach (string tensor in tensors) edited = OnnxGraphEditor.AddOutput(edited, tensor);
        OnnxModelWriter.Save(edited, outputPath);
    }
}
