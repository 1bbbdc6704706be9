using MemScan.Scanner.Onnx;

namespace MemScan.Scanner.Models;

/// <summary>
/// A transformer's learned position embedding found in its ONNX graph: the table of
/// <see cref="Rows"/> positions that <c>position_ids</c> index. A position past the last row makes
/// ONNX Runtime fail deep inside a Gather ("indices element out of data bounds"), so the row count
/// is the model's context.
/// </summary>
public sealed record PositionTable(string Name, int Rows, long Width)
{
    /// <summary>
    /// Ops that pass position ids on unchanged in value (type, shape or rank may change), as
    /// exporters put them between the input and the lookup (a Cast to int32, a Reshape to
    /// [-1, seq], an Unsqueeze). Anything that changes the values (an Add of an offset, as OPT
    /// has) ends the trail: the table size would then not be the context.
    /// </summary>
    static readonly HashSet<string> ValuePreserving = new(StringComparer.Ordinal)
    {
        "Cast", "Identity", "Reshape", "Unsqueeze", "Squeeze", "Flatten", "Expand",
    };

    /// <summary>How many pass-through ops are followed; real exports need one or two.</summary>
    const int MaxHops = 8;

    /// <summary>
    /// The table that the graph input <paramref name="positionIds"/> indexes: a Gather whose indices
    /// are the input (possibly after <see cref="ValuePreserving"/> ops) and whose data is a rank-2
    /// initializer or Constant [positions, width], in the graph or its subgraphs (a merged decoder's branches). Null when there is none; when several are
    /// found (an export that looks positions up twice) the smallest bounds the context.
    /// </summary>
    public static PositionTable? Find(GraphProto graph, string positionIds)
    {
        var tables = RankTwoConstants(graph);
        var consumers = OnnxGraphWalk.Consumers(graph);

        var found = new List<PositionTable>();
        var frontier = new List<string> { positionIds };
        var seen = new HashSet<string>(StringComparer.Ordinal) { positionIds };
        for (int hop = 0; hop <= MaxHops && frontier.Count > 0; hop++)
        {
            var next = new List<string>();
            foreach (string value in frontier)
                foreach (var node in consumers[value].Where(n => n.Domain is "" or "ai.onnx"))
                {
                    if (node.OpType == "Gather" && node.Input.Count >= 2 && node.Input[1] == value &&
                        tables.TryGetValue(node.Input[0], out var table) && Axis0(node) &&
                        table.Dims[0] is > 0 and <= int.MaxValue)
                        found.Add(new PositionTable(table.Name, (int)table.Dims[0], table.Dims[1]));
                    else if (ValuePreserving.Contains(node.OpType) && node.Input[0] == value && node.Output.Count > 0 && seen.Add(node.Output[0]))
                        next.Add(node.Output[0]);
                }
            frontier = next;
        }
        return found.MinBy(t => t.Rows);
    }

    /// <summary>A position lookup gathers rows (axis 0, the default).</summary>
    static bool Axis0(NodeProto gather) =>
        gather.Attribute.FirstOrDefault(a => a.Name == "axis") is not { } axis || axis.I == 0;

    /// <summary>Values that are rank-2 constant tensors (initializers and Constant nodes, also read through a Cast), with their dims and the constant's name.</summary>
    static Dictionary<string, (long[] Dims, string Name)> RankTwoConstants(GraphProto graph)
    {
        var result = new Dictionary<string, (long[], string)>(StringComparer.Ordinal);
        foreach (var t in OnnxGraphWalk.Initializers(graph).Where(t => t.Dims.Count == 2)) result[t.Name] = (t.Dims.ToArray(), t.Name);
        var nodes = OnnxGraphWalk.Nodes(graph).ToList();
        foreach (var node in nodes.Where(n => n.OpType == "Constant" && n.Output.Count == 1))
            if (node.Attribute.FirstOrDefault(a => a.Name == "value")?.T is { Dims.Count: 2 } tensor)
                result[node.Output[0]] = (tensor.Dims.ToArray(), node.Output[0]);
        // A half-precision or quantized table is read through a Cast or DequantizeLinear to float first.
        foreach (var node in nodes.Where(n => n.OpType is "Cast" or "DequantizeLinear" or "Identity" && n.Input.Count > 0 && n.Output.Count == 1))
            if (result.TryGetValue(node.Input[0], out var table))
                result[node.Output[0]] = table;
        return result;
    }
}
