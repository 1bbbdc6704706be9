namespace MemScan.Scanner.Onnx;

/// <summary>
/// Nodes and initializers of a graph together with those of its subgraphs (the branches of an
/// <c>If</c>, the body of a <c>Loop</c>). Why: a merged decoder keeps its whole network inside the
/// two branches of one If node, and a subgraph reads outer values by their names, so a trail
/// from a graph input runs on into the branches under the same names.
/// </summary>
public static class OnnxGraphWalk
{
    public static IEnumerable<NodeProto> Nodes(GraphProto graph)
    {
        foreach (var node in graph.Node)
        {
            yield return node;
            foreach (var attribute in node.Attribute)
            {
                if (attribute.G is not null)
                    foreach (var inner in Nodes(attribute.G)) yield return inner;
                foreach (var sub in attribute.Graphs)
                    foreach (var inner in Nodes(sub)) yield return inner;
            }
        }
    }

    public static IEnumerable<TensorProto> Initializers(GraphProto graph) =>
        graph.Initializer.Concat(graph.Node.SelectMany(n => n.Attribute)
            .SelectMany(a => (a.G is null ? a.Graphs : a.Graphs.Append(a.G)).SelectMany(Initializers)));

    /// <summary>Consumers of each value name, across the graph and its subgraphs.</summary>
    public static ILookup<string, NodeProto> Consumers(GraphProto graph) =>
        Nodes(graph).SelectMany(n => n.Input.Where(i => i.Length > 0).Distinct().Select(i => (Input: i, Node: n)))
            .ToLookup(x => x.Input, x => x.Node, StringComparer.Ordinal);
}
