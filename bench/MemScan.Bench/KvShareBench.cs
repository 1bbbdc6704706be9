using System.Diagnostics;
using MemScan.Scanner.Models;
using MemScan.Scanner.Probes.Exposure;

namespace MemScan.Bench;

/// <summary>
/// The kvtree section's sharing pair (issue 20): children sharing their prefix's key/value cache
/// and the caches gathered into reused input buffers, against whole copies into fresh arrays (the
/// path before), on the exact-rank tree and the extraction, interleaved, each pair checked to give
/// bitwise the same answer. Memory per mode: the state bytes the search counted at its peak,
/// the managed bytes allocated, and the process's peak RSS over that search alone (the high-water
/// mark is reset before each, through /proc/self/clear_refs).
/// </summary>
static class KvShareBench
{
    const int Pairs = 2;

    sealed record Sample(long Rows, double Seconds, long Allocated, double PeakRssMiB, long HeldBytes, string Answer);

    public static void Run(OnnxLanguageModel lm, BenchModel m, int batch, int completions, double flopsPerRow, double peak, TextWriter log)
    {
        long secret = Math.Min(m.Secret, m.Trie.CandidateCount - 1);
        Sample Measure(bool share, Func<LmState, (long Held, string Answer)> search)
        {
            lm.ShareCaches = share;
            lm.ReuseInputBuffers = share;
            // The root in the mode measured: a shared root's children link to it.
            var root = lm.Advance([lm.Initial], [m.RootTokens])[0];
            GC.Collect();
            GC.WaitForPendingFinalizers();
            ResetPeakRss();
            long rowsBefore = lm.Queries, allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            var (held, answer) = search(root);
            double seconds = watch.Elapsed.TotalSeconds;
            return new(lm.Queries - rowsBefore, seconds, GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore, Timing.PeakRssMiB(), held, answer);
        }
        List<Measured> Pair(string what, Func<LmState, (long Held, string Answer)> search)
        {
            Sample? before = null, after = null;
            for (int i = 0; i < Pairs; i++)
            {
                var b = Measure(false, search);
                var a = Measure(true, search);
                if (before is null || b.Seconds < before.Seconds) before = b;
                if (after is null || a.Seconds < after.Seconds) after = a;
            }
            string same = before!.Answer == after!.Answer ? "same answer (bitwise)" : "ANSWERS DIFFER";
            string Note(Sample s) =>
                $"{s.Rows:N0} rows, {s.Seconds:F2}s, {s.Rows / s.Seconds * flopsPerRow / 1e9 / peak:P0} of peak; state held (counted) {s.HeldBytes / 1048576.0:F1} MiB, " +
                $"allocated {s.Allocated / 1048576.0:F0} MiB ({s.Allocated / (double)s.Rows / 1024:F0} KiB/row), peak RSS {s.PeakRssMiB:F0} MiB";
            return
            [
                new($"{what}: whole copies, fresh inputs (before)", before.Rows / before.Seconds, Note(before)),
                new($"{what}: shared prefixes, reused inputs (now)", after.Rows / after.Seconds, $"{Note(after)}; {same}"),
            ];
        }

        var tree = Pair("exact-rank tree", root =>
        {
            var walk = new ExactRankSearch(lm, batch);
            var rank = walk.Rank(root, m.Trie, secret, prune: false);
            return (walk.PeakHeldBytes, $"{rank.Rank}/{BitConverter.DoubleToInt64Bits(rank.SecretNll)}");
        });
        var extraction = Pair($"extraction top {completions:N0}", root =>
        {
            var outcome = new ExtractionSearch(lm).Run(root, m.Trie, completions, long.MaxValue);
            return (outcome.PeakHeldBytes, string.Join(",", outcome.Extracted.Select(e => $"{e.Candidate}:{BitConverter.DoubleToInt64Bits(e.Nll)}")));
        });
        lm.ShareCaches = true;
        lm.ReuseInputBuffers = true;
        Table.Print(log, $"Shared KV caches and reused input buffers: exact-rank tree, {m.Name}, batch {batch} (interleaved, best of {Pairs})", "rows/s", tree, ("vs before", 0));
        Table.Print(log, $"Shared KV caches and reused input buffers: extraction, {m.Name}, top {completions:N0} (interleaved, best of {Pairs})", "rows/s", extraction, ("vs before", 0));
        var sharedRoot = lm.Advance([lm.Initial], [m.RootTokens])[0];
        var child = lm.Advance([sharedRoot], [[m.RootTokens[^1]]])[0];
        var counted = new HeldStateBytes();
        counted.Pin(sharedRoot);
        log.WriteLine($"  a child of the {m.RootTokens.Length}-token root: whole copy {child.TensorBytes / 1024.0:F0} KiB, counted when shared {counted.Add(child) / 1024.0:F0} KiB (its own position)");
    }

    /// <summary>Resets the process's peak-RSS mark (VmHWM) so the next reading covers what follows; Linux only, ignored elsewhere.</summary>
    static void ResetPeakRss()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
