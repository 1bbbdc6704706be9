using MemScan.Scanner.Isolation;
using MemScan.Scanner.Models;
using MemScan.Scanner.Onnx;
using MemScan.Scanner.Probes.Exposure;

namespace MemScan.Bench;

/// <summary>
/// Model rows per second of the same exact-rank search in-process and through the isolated model
/// host (<c>memscan host-model</c>, the default of <c>memscan scan</c>): the price of the pipe.
/// </summary>
public static class IsolationBench
{
    public static IReadOnlyList<Measured> Run(BenchModel m, CandidateTrie trie, OnnxSessionOptions options, int batch)
    {
        var rows = new List<Measured>();
        using (var inProcess = OnnxLanguageModel.Open(m.OnnxPath, null, options))
            rows.Add(Measure("in-process (--in-process)", inProcess, m, trie, batch));
        using (var isolated = IsolatedLanguageModel.Open(m.OnnxPath, null, options))
            rows.Add(Measure("isolated model host (default)", isolated, m, trie, batch));
        return rows;
    }

    static Measured Measure(string name, LanguageModel lm, BenchModel m, CandidateTrie trie, int batch)
    {
        long secret = Math.Min(m.Secret, trie.CandidateCount - 1);
        var root = lm.Advance([lm.Initial], [m.RootTokens])[0];
        long rows = 0;
        double s = Timing.BestSeconds(() =>
        {
            long before = lm.Queries;
            new ExactRankSearch(lm, batch).Rank(root, trie, secret, prune: false);
            rows = lm.Queries - before;
        }, repetitions: 3);
        return new Measured(name, rows / s, $"{rows:N0} rows over {trie.CandidateCount:N0} candidates, {s:F2}s");
    }
}
