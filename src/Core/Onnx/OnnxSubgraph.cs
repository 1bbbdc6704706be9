namespace MemScan.Scanner.Onnx;

/// <summary>
/// Makes a graph built on its own (an <see cref="OnnxGraphBuilder"/>'s) fit as a subgraph, e.g. a
/// branch of an <c>If</c>: every name the graph defines (node outputs, initializers, its outputs)
/// gets <c>prefix</c>, so no name repeats one of the outer graph or of a sibling branch (ONNX wants
/// each name assigned once across scopes), while names it only reads (outer inputs and weights)
/// stay as they are.
/// </summary>
public static class OnnxSubgraph
{
    public static GraphProto Localize(GraphProto graph, string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var local = graph.Node.SelectMany(n => n.Output).Concat(graph.Initializer.Select(t => t.Name))
            .Where(n => n.Length > 0).ToHashSet(StringComparer.Ordinal);
        string Rename(string name) => local.Contains(name) ? prefix + name : name;
        var result = graph.Clone();
        foreach (var node in result.Node)
        {
            for (int i = 0; i < node.Input.Count; i++) node.Input[i] = Rename(node.Input[i]);
            for (int i = 0; i < node.Output.Count; i++) node.Output[i] = Rename(node.Output[i]);
            node.Name = prefix + node.Name;
        }
        foreach (var t in result.Initializer) t.Name = Rename(t.Name);
        foreach (var o in result.Output) o.Name = Rename(o.Name);
        foreach (var v in result.ValueInfo) v.Name = Rename(v.Name);
        return result;
    }
}
