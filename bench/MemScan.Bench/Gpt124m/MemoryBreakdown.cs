using System.Globalization;
using MemScan.Scanner.Models;
using MemScan.Scanner.Onnx;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Probes.Extraction;
using MemScan.Scanner.Tokenizers;

namespace MemScan.Bench.Gpt124m;

/// <summary>
/// Where an in-process scan's memory and time go on the 124M model, measured in this process before any
/// other probe runs in it: resident memory before and after ONNX Runtime loads the model (the
/// weights as ORT holds them), the time to tokenize the canary's space into its candidate tree, then,
/// for each search (the scan's pruned exact-rank tree, the whole tree, the shortest-path extraction)
/// and batched scoring, its model rows and time (the search alone, after the tree is built: what the
/// share of the MatMul peak is counted on) and, sampled every 20 ms, the peak resident set and the
/// peak managed heap (LmStates: per-node
/// KV caches as float arrays, log-probability rows, the float copies of ORT's outputs). Resident
/// memory above weights + managed heap is ORT's native working memory (its arenas and the output
/// tensors of a run). The isolated host's second process is measured by the child runs.
/// </summary>
public static class MemoryBreakdown
{
    /// <param name="TokensPerRow">Tokens one model row carries (1 for a tree or extraction row, the sequence length for scoring).</param>
    /// <param name="Context">Mean positions each of those tokens attends to (for the FLOP count).</param>
    public sealed record Phase(string Name, long Rows, double Seconds, double PeakRssMiB, double PeakManagedMiB, double NativeAboveLoadMiB, double TokensPerRow, double Context);

    /// <summary>Batched scoring's shape: sequences of random token ids, scored whole, 64 per model run.</summary>
    public const int ScoringRows = 128, ScoringTokens = 32, ScoringBatch = 64;

    public static (double BaselineMiB, double LoadedMiB, double TreeSeconds, IReadOnlyList<Phase> Phases) Measure(
        Gpt124mModels m, OnnxSessionOptions options, int batch, long extractionBudget)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        double baseline = RssMiB();
        using var lm = OnnxLanguageModel.Open(m.ModelPath, null, options);
        lm.MaxBatch = batch;
        double loaded = RssMiB();
        var tokenizer = Gpt2BpeTokenizer.CreateDefault();
        var treeWatch = System.Diagnostics.Stopwatch.StartNew();
        var tree = CandidateTries.For(tokenizer, m.Canary);
        double treeSeconds = treeWatch.Elapsed.TotalSeconds;
        long secret = m.Canary.Space.IndexOf(m.Canary.Secret);
        int context = tree.RootTokens.Length + 3;
        var phases = new List<Phase>();
        Phase Run(string name, Func<long> search, double tokensPerRow = 1, double? rowContext = null)
        {
            GC.Collect();
            double managedAtStart = GC.GetTotalMemory(true) / 1048576.0;
            double peakRss = 0, peakManaged = 0, peakNative = 0;
            using var stop = new CancellationTokenSource();
            var sampler = Task.Run(() =>
            {
                while (!stop.IsCancellationRequested)
                {
                    double rss = RssMiB(), managed = GC.GetTotalMemory(false) / 1048576.0;
                    peakRss = Math.Max(peakRss, rss);
                    peakManaged = Math.Max(peakManaged, managed);
                    peakNative = Math.Max(peakNative, rss - managed);
                    Thread.Sleep(20);
                }
            });
            var watch = System.Diagnostics.Stopwatch.StartNew();
            long before = lm.Queries;
            search();
            double seconds = watch.Elapsed.TotalSeconds;
            stop.Cancel();
            sampler.Wait();
            return new Phase(name, lm.Queries - before, seconds, peakRss, peakManaged - managedAtStart, peakNative - (loaded - managedAtStart),
                tokensPerRow, rowContext ?? context);
        }
        // A first run of each shape ORT has not seen yet costs extra (kernel selection, arena growth): warm up once.
        lm.Advance([lm.Initial], [tree.RootTokens]);
        long PrunedTree()
        {
            var root = lm.Advance([lm.Initial], [tree.RootTokens])[0];
            return new ExactRankSearch(lm, batch).Rank(root, tree.Trie, secret, prune: true).Rank;
        }
        phases.Add(Run("exposure (the scan's pruned exact-rank tree)", PrunedTree));
        // The same small search again: what it costs once this process's code is past the JIT's
        // first tiers (the first run's loops start unoptimized) and its run buffers are grown.
        phases.Add(Run("exposure (the same pruned tree again, in the same process)", PrunedTree));
        // The searches start from the prompt's state, as the probes do; root advanced inside each phase.
        phases.Add(Run("exposure (exact-rank tree, no pruning)", () =>
        {
            var root = lm.Advance([lm.Initial], [tree.RootTokens])[0];
            return new ExactRankSearch(lm, batch).Rank(root, tree.Trie, secret, prune: false).Rank;
        }));
        phases.Add(Run($"extraction (shortest path, {extractionBudget:N0} rows)", () =>
        {
            var root = lm.Advance([lm.Initial], [tree.RootTokens])[0];
            return new ExtractionSearch(lm).Run(root, tree.Trie, maxCompletions: 10, maxQueries: extractionBudget).Extracted.Count;
        }));
        var random = new Random(124);
        var sequences = Enumerable.Range(0, ScoringRows).Select(_ => Enumerable.Range(0, ScoringTokens).Select(_ => random.Next(m.Shape.Vocab)).ToArray()).ToArray();
        lm.MaxBatch = ScoringBatch;
        lm.TokenLogProbs(sequences[..8]); // warm-up of the scoring shape
        phases.Add(Run($"batched scoring ({ScoringRows} × {ScoringTokens} tokens, {ScoringBatch} per run)", () => lm.TokenLogProbs(sequences).Length,
            ScoringTokens, (ScoringTokens + 1) / 2.0));
        return (baseline, loaded, treeSeconds, phases);
    }

    public static double RssMiB() => ProcMemory.ResidentMiB() ?? 0;
}
