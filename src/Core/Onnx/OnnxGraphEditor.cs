namespace MemScan.Scanner.Onnx;

/// <summary>Small, checked edits of existing ONNX graphs.</summary>
public static class OnnxGraphEditor
{
    /// <summary>
    /// A copy of <paramref name="model"/> in which the intermediate tensor
    /// <paramref name="tensorName"/> is also a graph output (to read embeddings, say). Its type
    /// comes from the graph's value_info, inputs or initializers when declared there; otherwise it
    /// is declared as <paramref name="fallbackType"/> with unknown shape and ONNX Runtime's shape
    /// inference fills in the rest. Already an output: the copy is returned unchanged.
    /// </summary>
    public static ModelProto AddOutput(ModelProto model, string tensorName, OnnxElementType fallbackType = OnnxElementType.Float)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(tensorName);
        if (model.Graph is null) throw new MemScanException("the model has no graph to add an output to");
        var copy = model.Clone();
        var g = copy.Graph;
        if (g.Output.Any(o => o.Name == tensorName)) return copy;

        bool produced = g.Node.Any(n => n.Output.Contains(tensorName))
                        || g.Input.Any(i => i.Name == tensorName)
                        || g.Initializer.Any(t => t.Name == tensorName);
        if (!produced)
        {
            var candidates = g.Node.SelectMany(n => n.Output).Where(o => o.Length > 0).ToList();
            var near = candidates.Where(c => c.Contains(tensorName, StringComparison.OrdinalIgnoreCase)
                                             || tensorName.Contains(c, StringComparison.OrdinalIgnoreCase)).Take(5).ToList();
            throw new MemScanException(
                $"tensor '{tensorName}' is not produced by any of the {g.Node.Count} nodes of graph '{g.Name}'" +
                (near.Count > 0 ? $"; similar names: {string.Join(", ", near)}" : $"; first node outputs: {string.Join(", ", candidates.Take(5))}"));
        }

        var declared = g.ValueInfo.Concat(g.Input).FirstOrDefault(v => v.Name == tensorName);
        if (declared?.Type is not null)
        {
            g.Output.Add(declared.Clone());
        }
        else if (g.Initializer.FirstOrDefault(t => t.Name == tensorName) is { } init)
        {
            g.Output.Add(OnnxGraphBuilder.ValueInfo(tensorName, (OnnxElementType)init.DataType, init.Dims.Select(d => (OnnxDim)d).ToArray()));
        }
        else
        {
            g.Output.Add(new ValueInfoProto
            {
                Name = tensorName,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)fallbackType } },
            });
        }
        return copy;
    }

    /// <summary>
    /// Loads and validates <paramref name="modelPath"/>, exposes <paramref name="tensorName"/> as
    /// an extra output and writes the result atomically to <paramref name="outputPath"/>.
    /// Models with external data must be written into the same folder (their data files are
    /// found relative to the model).
    /// </summary>
    public static OnnxModelInfo AddOutput(string modelPath, string tensorName, string outputPath,
        OnnxElementType fallbackType = OnnxElementType.Float, OnnxLimits? limits = null)
    {
        var info = OnnxModelInfo.Load(modelPath, limits);
        var outFull = Path.GetFullPath(outputPath);
        if (outFull == info.Path)
            throw new MemScanException($"refusing to overwrite the model being edited ({modelPath}); write to another file");
        if (info.HasExternalData && Path.GetDirectoryName(outFull) != Path.GetDirectoryName(info.Path))
            throw new MemScanException(
                $"{modelPath} keeps weights in external files; write the edited model into the same folder ({Path.GetDirectoryName(info.Path)}), not {Path.GetDirectoryName(outFull)}");
        OnnxModelWriter.Save(AddOutput(info.LoadWithWeights(), tensorName, fallbackType), outFull);
        return OnnxModelInfo.Load(outFull, limits);
    }
}
