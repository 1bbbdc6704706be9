using MemScan.Scanner.Models;
using MemScan.Scanner.Onnx;
using MemScan.Scanner.Probes.Exposure;
using Microsoft.ML.OnnxRuntime;

namespace MemScan.Bench;

/// <summary>
/// Tree-search rows per second of one model under each ONNX Runtime session setting, one change
/// at a time from MemScan's default (all graph optimizations, sequential, memory pattern off, CPU
/// arena on, ORT's thread count).
/// </summary>
public static class SessionOptionsSweep
{
    public static IReadOnlyList<Measured> Run(BenchModel m, CandidateTrie trie, OnnxSessionOptions baseline, int batch, int rounds)
    {
        (string Name, OnnxSessionOptions Options)[] settings =
        [
            ("default (ORT_ENABLE_ALL, sequential, no mem pattern, arena)", baseline),
            ("intra-op threads 1", baseline with { IntraOpThreads = 1 }),
            ("intra-op threads 2", baseline with { IntraOpThreads = 2 }),
            ("graph optimization ORT_ENABLE_BASIC", baseline with { GraphOptimization = GraphOptimizationLevel.ORT_ENABLE_BASIC }),
            ("graph optimization ORT_DISABLE_ALL", baseline with { GraphOptimization = GraphOptimizationLevel.ORT_DISABLE_ALL }),
            ("ExecutionMode.ORT_PARALLEL", baseline with { ParallelExecution = true }),
            ("memory pattern on", baseline with { MemoryPattern = true }),
            ("CPU arena off", baseline with { CpuArena = false }),
        ];
        // Round-robin over the settings, best of the rounds: on a shared machine the load drifts,
        // and one setting timed after another would compare load, not settings.
        var models = settings.Select(x => OnnxLanguageModel.Open(m.OnnxPath, null, x.Options)).ToArray();
        try
        {
            long secret = Math.Min(m.Secret, trie.CandidateCount - 1);
            var roots = models.Select(lm => lm.Advance([lm.Initial], [m.RootTokens])[0]).ToArray();
            var best = Enumerable.Repeat(double.MaxValue, settings.Length).ToArray();
            long rowsRun = 0;
            for (int round = 0; round < rounds; round++)
                for (int i = 0; i < settings.Length; i++)
                {
                    long before = models[i].Queries;
                    var watch = System.Diagnostics.Stopwatch.StartNew();
                    new ExactRankSearch(models[i], batch).Rank(roots[i], trie, secret, prune: false);
                    best[i] = Math.Min(best[i], watch.Elapsed.TotalSeconds);
                    rowsRun = models[i].Queries - before;
                }
            return settings.Select((x, i) => new Measured(x.Name, rowsRun / best[i], $"{rowsRun:N0} rows, best of {rounds} rounds {best[i]:F2}s")).ToArray();
        }
        finally
        {
            foreach (var lm in models) lm.Dispose();
        }
    }

    /// <summary>Rows per second of the exact-rank search for each batch size (rows per model run).</summary>
    public static IReadOnlyList<Measured> BatchSweep(LanguageModel lm, BenchModel m, CandidateTrie trie, int[] batches)
    {
        var root = lm.Advance([lm.Initial], [m.RootTokens])[0];
        long secret = Math.Min(m.Secret, trie.CandidateCount - 1);
        var rows = new List<Measured>();
        foreach (int batch in batches)
        {
            int saved = lm.MaxBatch;
            lm.MaxBatch = batch;
            long rowsRun = 0;
            double s = Timing.BestSeconds(() =>
            {
                long before = lm.Queries;
                new ExactRankSearch(lm, batch).Rank(root, trie, secret, prune: false);
                rowsRun = lm.Queries - before;
            }, repetitions: 1);
            lm.MaxBatch = saved;
            rows.Add(new Measured($"batch {batch}", rowsRun / s, $"{rowsRun:N0} rows, {s:F2}s, peak RSS so far {Timing.PeakRssMiB():F0} MiB"));
        }
        return rows;
    }
}
