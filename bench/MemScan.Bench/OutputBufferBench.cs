using MemScan.Scanner.Models;
using MemScan.Scanner.Probes.Exposure;

namespace MemScan.Bench;

/// <summary>
/// The hot-path change in <see cref="OnnxLanguageModel"/>, before and after in one run: outputs
/// copied out of ONNX Runtime into fresh arrays on every run (before) against outputs written by
/// ONNX Runtime into buffers reused across runs (now), on the same session and tree search.
/// </summary>
public static class OutputBufferBench
{
    public static IReadOnlyList<Measured> Run(OnnxLanguageModel lm, BenchModel m, CandidateTrie trie, int batch)
    {
        var root = lm.Advance([lm.Initial], [m.RootTokens])[0];
        long secret = Math.Min(m.Secret, trie.CandidateCount - 1);
        var rows = new List<Measured>();
        foreach (bool reuse in new[] { false, true })
        {
            lm.ReuseOutputBuffers = reuse;
            long rowsRun = 0;
            ExactRank? rank = null;
            double s = Timing.BestSeconds(() =>
            {
                long before = lm.Queries;
                rank = new ExactRankSearch(lm, batch).Rank(root, trie, secret, prune: false);
                rowsRun = lm.Queries - before;
            }, repetitions: 2);
            rows.Add(new Measured(reuse ? "outputs into reused buffers (now)" : "outputs copied into new arrays (before)", rowsRun / s,
                $"{rowsRun:N0} rows, {s:F2}s, rank {rank!.Rank:N0}"));
        }
        lm.ReuseOutputBuffers = true;
        return rows;
    }
}
