using System.Diagnostics;
using MemScan.Scanner.Models;
using MemScan.Scanner.Onnx;
using MemScan.Scanner.Probes.Exposure;

namespace MemScan.Bench;

/// <summary>
/// Issue 20's KV-cache tree and extraction changes, before and after, interleaved in one run on a
/// mid-size GPT (4 layers × 256, GPT-2's 50,257 vocabulary; not the 124M model, whose section runs
/// alone): the exact-rank tree with wanted entries taken off the logits against the full
/// log-softmax row per model row; shortest-path extraction in batches of the model's MaxBatch past
/// leaves against batches of 64 stopped at the first leaf; and both searches within a small
/// --memory-budget against unbounded, with the state bytes each held (counted); and both searches
/// with children sharing their prefix's cache against whole copies (<see cref="KvShareBench"/>).
/// </summary>
public static class KvTreeBench
{
    const int Dim = 256, Layers = 4, Completions = 2000, Pairs = 2;

    public static void Run(BenchOptions o, string work, TextWriter log)
    {
        var mid = o with { GptDim = Dim, GptLayers = Layers, Digits = Math.Min(o.Digits, 5) };
        var (peak, peakDetail) = MatMulPeak.Measure(work, o.Session, Dim);
        var m = GptScoringBench.Prepare(mid, work, log).Model;
        using var lm = OnnxLanguageModel.Open(m.OnnxPath, null, o.Session);
        lm.MaxBatch = o.Batch;
        var root = lm.Advance([lm.Initial], [m.RootTokens])[0];
        double rssBefore = Timing.PeakRssMiB();
        long secret = Math.Min(m.Secret, m.Trie.CandidateCount - 1);
        // A row sees the prefix and about two candidate tokens before it.
        double flopsPerRow = m.FlopsPerToken(m.RootTokens.Length + 2);
        string Share(double rowsPerSecond) => $"{rowsPerSecond * flopsPerRow / 1e9:F1} GFLOP/s, {rowsPerSecond * flopsPerRow / 1e9 / peak:P0} of the MatMul peak";
        log.WriteLine($"  MatMul peak at width {Dim}: {peak:F1} GFLOP/s (best of {peakDetail}); {flopsPerRow / 1e6:F1} MFLOP per tree row");

        // Each measurement: (rows, seconds, answer to compare), best time of the interleaved pairs.
        (long Rows, double Seconds, T Answer) Time<T>(Func<T> search)
        {
            long before = lm.Queries;
            var watch = Stopwatch.StartNew();
            var answer = search();
            return (lm.Queries - before, watch.Elapsed.TotalSeconds, answer);
        }
        List<Measured> Pair<T>(string beforeName, Func<T> before, string afterName, Func<T> after, Func<T, T, bool> same, Func<T, string> note)
        {
            (long Rows, double Seconds, T Answer)? b = null, a = null;
            for (int i = 0; i < Pairs; i++)
            {
                var tb = Time(before);
                var ta = Time(after);
                if (b is null || tb.Seconds < b.Value.Seconds) b = tb;
                if (a is null || ta.Seconds < a.Value.Seconds) a = ta;
            }
            string identical = same(b!.Value.Answer, a!.Value.Answer) ? "same answer" : "ANSWERS DIFFER";
            return
            [
                new(beforeName, b.Value.Rows / b.Value.Seconds, $"{b.Value.Rows:N0} rows, {b.Value.Seconds:F2}s, {Share(b.Value.Rows / b.Value.Seconds)}; {note(b.Value.Answer)}"),
                new(afterName, a.Value.Rows / a.Value.Seconds, $"{a.Value.Rows:N0} rows, {a.Value.Seconds:F2}s, {Share(a.Value.Rows / a.Value.Seconds)}; {note(a.Value.Answer)}; {identical}"),
            ];
        }

        // 1. The exact-rank tree: the full log-softmax row per model row (before) or the wanted entries off the logits.
        var tree = Pair(
            "full log-softmax row per row (before)", () => { lm.PickFromLogits = false; return new ExactRankSearch(lm, o.Batch).Rank(root, m.Trie, secret, prune: false); },
            "wanted entries off the logits (now)", () => { lm.PickFromLogits = true; return new ExactRankSearch(lm, o.Batch).Rank(root, m.Trie, secret, prune: false); },
            (x, y) => x == y, r => $"rank {r.Rank:N0}");
        Table.Print(log, $"KV-cache exact-rank tree, {m.Name}, 10^{mid.Digits} candidates, batch {o.Batch} (interleaved, best of {Pairs})", "rows/s", tree, ("vs before", 0));

        // 2. Extraction of the top completions: batches of 64 stopped at the first leaf (before) or of MaxBatch past leaves.
        static (long, long)[] Order(ExtractionOutcome x) => x.Extracted.Select(e => (e.Candidate, BitConverter.DoubleToInt64Bits(e.Nll))).ToArray();
        var extraction = Pair(
            "batch 64, stop at first leaf (before)", () => { lm.PickFromLogits = false; return new ExtractionSearch(lm, 64) { BatchPastLeaves = false }.Run(root, m.Trie, Completions, long.MaxValue); },
            $"batch {o.Batch} past leaves (now)", () => { lm.PickFromLogits = true; return new ExtractionSearch(lm).Run(root, m.Trie, Completions, long.MaxValue); },
            (x, y) => Order(x).Select(p => p.Item1).SequenceEqual(Order(y).Select(p => p.Item1)), x => $"{x.Extracted.Count:N0} completions, held {x.PeakHeldBytes / 1048576.0:F0} MiB of state");
        Table.Print(log, $"Shortest-path extraction, {m.Name}, top {Completions:N0} of 10^{mid.Digits} (interleaved, best of {Pairs})", "rows/s", extraction, ("vs before", 0));
        log.WriteLine($"  wall time: before {extraction[0].Note.Split(", ")[1]}, now {extraction[1].Note.Split(", ")[1]} (now expands more rows speculatively, at a higher rate)");

        // 3. Memory budget: unbounded against an eighth of what the unbounded extraction held.
        var unbounded = new ExtractionSearch(lm).Run(root, m.Trie, Completions, long.MaxValue);
        long budget = Math.Max(1, unbounded.PeakHeldBytes / 8);
        ExtractionOutcome? boundedOutcome = null;
        var bounded = Pair(
            "unbounded", () => new ExtractionSearch(lm).Run(root, m.Trie, Completions, long.MaxValue),
            $"--memory-budget {budget / 1048576.0:F0} MiB", () => boundedOutcome = new ExtractionSearch(lm) { MemoryBudget = budget }.Run(root, m.Trie, Completions, long.MaxValue),
            (x, y) => Order(x).Select(p => p.Item1).SequenceEqual(Order(y).Select(p => p.Item1)),
            x => $"held {x.PeakHeldBytes / 1048576.0:F1} MiB, {x.Evictions:N0} dropped, {x.RecomputedRows:N0} rows recomputed");
        Table.Print(log, $"Extraction within a memory budget, {m.Name}, top {Completions:N0} (interleaved, best of {Pairs})", "rows/s", bounded, ("vs unbounded", 0));

        var walk = new ExactRankSearch(lm, o.Batch);
        walk.Rank(root, m.Trie, secret, prune: false);
        long treeBudget = Math.Max(1, walk.PeakHeldBytes / 8);
        var boundedWalk = new ExactRankSearch(lm, o.Batch) { MemoryBudget = treeBudget };
        var treeRows = Pair(
            "unbounded", () => new ExactRankSearch(lm, o.Batch).Rank(root, m.Trie, secret, prune: false),
            $"--memory-budget {treeBudget / 1048576.0:F0} MiB", () => boundedWalk.Rank(root, m.Trie, secret, prune: false),
            (x, y) => x.Rank == y.Rank && x.LeavesScored == y.LeavesScored, r => $"rank {r.Rank:N0}");
        Table.Print(log, $"Exact-rank tree within a memory budget, {m.Name} (interleaved, best of {Pairs})", "rows/s", treeRows, ("vs unbounded", 0));
        log.WriteLine($"  state held: unbounded {walk.PeakHeldBytes / 1048576.0:F1} MiB, bounded {boundedWalk.PeakHeldBytes / 1048576.0:F1} MiB (budget {treeBudget / 1048576.0:F1} MiB)");
        // Where the rest goes: the model's weights, the reused output buffers (logits [batch, 1, 50,257]), ONNX Runtime's arena.
        log.WriteLine($"  memory: model file {new FileInfo(m.OnnxPath).Length / 1048576.0:F0} MiB, output buffers {lm.OutputBufferBytes / 1048576.0:F0} MiB, input buffers (gathered caches) {lm.InputBufferBytes / 1048576.0:F0} MiB, " +
                      $"process peak RSS so far {Timing.PeakRssMiB():F0} MiB (training the model with TorchSharp included; rss before the searches {rssBefore:F0} MiB)");
        // 4. Shared KV caches and reused input buffers against whole copies and fresh inputs (last:
        // it resets the peak-RSS mark to measure each search alone).
        KvShareBench.Run(lm, m, o.Batch, Completions, flopsPerRow, peak, log);
    }
}
