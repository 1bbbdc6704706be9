using MemScan.Scanner.Onnx;

namespace MemScan.Scanner.Models;

/// <summary>
/// Whether a graph turns <c>position_ids</c> into rotary angles: a Cos or Sin node downstream of
/// the input (Llama, Mistral, Qwen exports without a cos/sin cache table). Such a model has no
/// table whose size bounds its positions, so its context must come from elsewhere.
/// </summary>
public static class RotaryPositions
{
    /// <summary>Rotary exports need a Cast, an Unsqueeze, a MatMul or Mul with the inverse frequencies, a Concat: a handful of hops.</summary>
    const int MaxHops = 12;

    public static bool Uses(GraphProto graph, string positionIds)
    {
        var consumers = OnnxGraphWalk.Consumers(graph);
        var seen = new HashSet<string>(StringComparer.Ordinal) { positionIds };
        var frontier = new List<string> { positionIds };
        for (int hop = 0; hop < MaxHops && frontier.Count > 0; hop++)
        {
            var next = new List<string>();
            foreach (var node in frontier.SelectMany(v => consumers[v]))
            {
                if (node.OpType is "Cos" or "Sin" && node.Domain is "" or "ai.onnx") return true;
                next.AddRange(node.Output.Where(o => o.Length > 0 && seen.Add(o)));
            }
            frontier = next;
        }
        return false;
    }
}
