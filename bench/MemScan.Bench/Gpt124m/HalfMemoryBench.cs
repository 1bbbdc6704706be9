using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using MemScan.Scanner.Canaries;
using MemScan.Scanner.Models;
using MemScan.Scanner.Onnx;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Scanning;
using MemScan.Scanner.Tokenizers;

namespace MemScan.Bench.Gpt124m;

/// <summary>
/// The float16 export's memory against float32's, before and after the two changes that brought
/// it down: the run budget counting a half-precision element's float twin (6 bytes, not 2) and
/// ONNX Runtime's memory pattern off. The scan's exposure search on each export in a fresh process
/// per run, as the scan runs it (default run budget, the pruned tree in batches of 512). The table
/// reads the search's own peak over the loaded model and tree (the logits path: outputs, caches,
/// ORT's buffers for them; VmHWM is reset once the model is loaded) and the whole process's peak.
/// Interleaved rounds, the median of each.
/// </summary>
public static partial class HalfMemoryBench
{
    public const string ChildFlag = "--gpt124m-half-memory-child";
    const int Rounds = 3;

    /// <summary>(key, ORT's memory pattern, float twins counted, what the table calls it), in the order the changes came.</summary>
    static readonly (string Key, bool Pattern, bool Twins, string What)[] Variants =
    [
        ("before", true, false, "before: float16 counted at 2 bytes, memory pattern on"),
        ("twins", true, true, "float twins counted (6 bytes)"),
        ("after", false, true, "after: and the memory pattern off (MemScan's default)"),
    ];

    public static void Run(Gpt124mModels m, int threads, TextWriter log)
    {
        var exports = new (string Name, string Path)[] { ("float32", m.ModelPath), ("float16", m.Float16Dir) };
        var results = new Dictionary<(string, string), List<Measured>>();
        for (int round = 0; round < Rounds; round++)
            foreach (var v in Variants)
                foreach (var (name, path) in exports)
                {
                    if (!results.TryGetValue((name, v.Key), out var list)) results[(name, v.Key)] = list = [];
                    list.Add(Child(path, v.Key, threads, m.Canary));
                }

        log.WriteLine();
        log.WriteLine($"float16 memory against float32's: the exposure search of the digits:6 canary in a fresh process per run " +
                      $"({Rounds} interleaved rounds, median; search peak = the process's peak during the search over its resident memory once model and tree were loaded)");
        log.WriteLine("| variant | export | search rows/s | rank | search peak over the loaded model | vs float32 | whole-process peak | vs float32 |");
        log.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var v in Variants)
        {
            var fp = Summary(results[("float32", v.Key)]);
            foreach (var (name, _) in exports)
            {
                var s = Summary(results[(name, v.Key)]);
                log.WriteLine($"| {v.What} | {name} | {s.RowsPerSecond:N0} | {s.Rank:N0} | {s.Search:N0} MiB | {s.Search / fp.Search:F2}x | {s.Process:N0} MiB | {s.Process / fp.Process:F2}x |");
            }
        }
    }

    sealed record Measured(long Rank, long Rows, double Seconds, double SearchMiB, double ProcessMiB);

    static (double RowsPerSecond, long Rank, double Search, double Process) Summary(List<Measured> runs) =>
        (Median(runs.Select(r => r.Rows / r.Seconds)), runs[0].Rank, Median(runs.Select(r => r.SearchMiB)), Median(runs.Select(r => r.ProcessMiB)));

    static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return v[v.Length / 2];
    }

    static Measured Child(string model, string variant, int threads, Canary canary)
    {
        var x = BenchChild.Run($"float16 memory child ({model}, {variant})", Printed(), ChildFlag, model, variant,
            threads.ToString(CultureInfo.InvariantCulture), canary.Template, canary.Space.ToString(), canary.Secret);
        double D(int g) => double.Parse(x.Groups[g].Value, CultureInfo.InvariantCulture);
        return new(long.Parse(x.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(x.Groups[2].Value, CultureInfo.InvariantCulture), D(3), D(4), D(5));
    }

    /// <summary>memscan-bench --gpt124m-half-memory-child MODEL VARIANT THREADS TEMPLATE SPACE SECRET: the scan's exposure search, then its memory.</summary>
    public static int ChildMain(string[] args)
    {
        var variant = Variants.Single(v => v.Key == args[2]);
        NativeHeap.ReturnLargeFreedBlocks(); // as memscan does first thing
        var options = new OnnxSessionOptions { IntraOpThreads = int.Parse(args[3], CultureInfo.InvariantCulture), MemoryPattern = variant.Pattern };
        using var lm = OnnxLanguageModel.Open(args[1], null, options);
        lm.CountsFloatTwins = variant.Twins;
        lm.RunBudgetBytes = RunBudgets.PerRun(MemoryBudgets.MachineDefault);
        var canary = Canary.Create("alarm", args[4], args[6], RandomnessSpace.Parse(args[5]), 1);
        var tree = CandidateTries.For(Gpt2BpeTokenizer.CreateDefault(), canary);
        GC.Collect();
        double loadPeak = ProcMemory.PeakMiB() ?? 0, loaded = ProcMemory.ResidentMiB() ?? 0;
        if (!ProcMemory.ResetPeak()) throw new InvalidOperationException("the kernel did not reset VmHWM (/proc/self/clear_refs)");

        var watch = Stopwatch.StartNew();
        long before = lm.Queries;
        var root = CandidateTries.Root(lm, tree, canary);
        var rank = new ExactRankSearch(lm) { MemoryBudget = MemoryBudgets.MachineDefault }.Rank(root, tree.Trie, canary.Space.IndexOf(canary.Secret), prune: true);
        double seconds = watch.Elapsed.TotalSeconds, searchPeak = ProcMemory.PeakMiB() ?? 0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rank {rank.Rank} rows {lm.Queries - before} seconds {seconds:F3} search {searchPeak - loaded:F1} process {Math.Max(loadPeak, searchPeak):F1}"));
        return 0;
    }

    [GeneratedRegex(@"rank (\d+) rows (\d+) seconds ([\d.]+) search ([\d.-]+) process ([\d.]+)")]
    private static partial Regex Printed();
}
