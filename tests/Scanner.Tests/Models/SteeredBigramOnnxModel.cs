using MemScan.Scanner.Onnx;

namespace MemScan.Scanner.Tests.Models;

/// <summary>
/// A <see cref="FactoredBigramOnnxModel"/> (random logits from a low-rank table, as wide as any real
/// vocabulary) that has "memorized" some transitions: for each (from, to) pair one more rank
/// dimension is 1 for token <c>from</c> and <see cref="Boost"/> for token <c>to</c>, so after
/// <c>from</c> the model strongly expects <c>to</c>. Steering a secret's token path makes a canary
/// whose secret ranks first among its candidates, without training anything.
/// </summary>
public static class SteeredBigramOnnxModel
{
    /// <summary>Far above the random part (rank 4, weights in [-1, 1]: at most 4 in magnitude).</summary>
    public const float Boost = 30f;

    public static string Write(string path, int vocab, IReadOnlyList<(int From, int To)> steered, int seed = 1)
    {
        const int randomRank = 4;
        int rank = randomRank + steered.Count;
        var random = new Random(seed);
        var embedding = new float[vocab * rank];
        var head = new float[rank * vocab];
        for (int t = 0; t < vocab; t++)
            for (int k = 0; k < randomRank; k++)
            {
                embedding[t * rank + k] = (float)(random.NextDouble() * 2 - 1);
                head[k * vocab + t] = (float)(random.NextDouble() * 2 - 1);
            }
        for (int s = 0; s < steered.Count; s++)
        {
            int k = randomRank + s;
            embedding[steered[s].From * rank + k] = 1f;
            head[k * vocab + steered[s].To] = Boost;
        }
        var g = new OnnxGraphBuilder("steered-bigram");
        g.AddInput("input_ids", OnnxElementType.Int64, "batch", "seq");
        g.AddInitializer("embedding", embedding, [vocab, rank]);
        g.AddInitializer("head", head, [rank, vocab]);
        g.AddNode("Gather", ["embedding", "input_ids"], ["embedded"]);
        g.AddNode("MatMul", ["embedded", "head"], ["logits"]);
        g.AddOutput("logits", OnnxElementType.Float, "batch", "seq", vocab);
        g.Save(path);
        return path;
    }

    /// <summary>The transitions along <paramref name="ids"/>: (ids[0], ids[1]), (ids[1], ids[2]), ...</summary>
    public static IEnumerable<(int From, int To)> Path(IReadOnlyList<int> ids) =>
        Enumerable.Range(1, ids.Count - 1).Select(i => (ids[i - 1], ids[i]));
}
