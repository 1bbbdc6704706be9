using System.Globalization;
using System.Text.RegularExpressions;
using MemScan.Scanner.Models;
using MemScan.Scanner.Onnx;

namespace MemScan.Bench.Gpt124m;

/// <summary>
/// What loading the 124M model costs in resident memory, before and after the load fixes, each in
/// a fresh process (glibc's heap settings are per process and stay): "before" keeps glibc's moving
/// mmap threshold and a plain forced collection after the check's parse; "after" is what
/// <c>memscan</c> does (<see cref="NativeHeap"/>, <c>OnnxSession.Open</c>'s decommitting
/// collection), and each fix alone. Interleaved rounds; the median of each.
/// </summary>
public static partial class LoadMemoryBench
{
    public const string ChildFlag = "--gpt124m-load-child";
    const int Rounds = 3;

    /// <summary>The variants, in the order each round runs them: (key, glibc threshold fixed, heap decommitted, what the table calls it).</summary>
    static readonly (string Key, bool Fixed, bool Decommit, string What)[] Variants =
    [
        ("before", false, false, "before: glibc's moving mmap threshold, forced collection"),
        ("threshold", true, false, "threshold fixed at 128 KiB only"),
        ("decommit", false, true, "decommitting collection only"),
        ("after", true, true, "after: both (what memscan does)"),
    ];

    /// <summary>Runs the rounds and prints one table; returns the median resident growth after the fixes (MiB).</summary>
    public static double Run(string modelPath, int threads, TextWriter log)
    {
        double fileMiB = new FileInfo(modelPath).Length / 1048576.0;
        var results = Variants.ToDictionary(v => v.Key, _ => new List<(double Resident, double Peak)>());
        for (int i = 0; i < Rounds; i++)
            foreach (var v in Variants)
                results[v.Key].Add(Child(modelPath, v.Key, threads));
        log.WriteLine();
        log.WriteLine($"Loading the model, resident memory over the process's own before the load ({Rounds} interleaved rounds, median; model file {fileMiB:N0} MiB)");
        log.WriteLine("| load | resident once loaded | vs file | peak during the load | vs file |");
        log.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var v in Variants)
        {
            double resident = Median(results[v.Key].Select(r => r.Resident)), peak = Median(results[v.Key].Select(r => r.Peak));
            log.WriteLine($"| {v.What} | {resident:N0} MiB | {resident / fileMiB:F2}x | {peak:N0} MiB | {peak / fileMiB:F2}x |");
        }
        return Median(results["after"].Select(r => r.Resident));
    }

    static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return v.Length == 0 ? double.NaN : v[v.Length / 2];
    }

    static (double Resident, double Peak) Child(string modelPath, string variant, int threads)
    {
        var m = BenchChild.Run($"load child ({variant})", Printed(), ChildFlag, modelPath, variant, threads.ToString(CultureInfo.InvariantCulture));
        return (double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>memscan-bench --gpt124m-load-child MODEL VARIANT THREADS: opens the model as a scan does and prints its memory.</summary>
    public static int ChildMain(string[] args)
    {
        var variant = Variants.Single(v => v.Key == args[2]);
        if (variant.Fixed) NativeHeap.ReturnLargeFreedBlocks(); // as memscan does first thing
        var options = new OnnxSessionOptions { IntraOpThreads = int.Parse(args[3], CultureInfo.InvariantCulture), DecommitCheckHeap = variant.Decommit };
        var (baseRss, _) = Status();
        using var lm = OnnxLanguageModel.Open(args[1], null, options);
        var (rss, peak) = Status();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loaded {rss - baseRss:F1} peak {peak - baseRss:F1}"));
        GC.KeepAlive(lm);
        return 0;
    }

    [GeneratedRegex(@"loaded ([\d.]+) peak ([\d.-]+)")]
    private static partial Regex Printed();

    /// <summary>VmRSS and VmHWM of this process, MiB.</summary>
    static (double Rss, double Peak) Status() => (ProcMemory.ResidentMiB() ?? 0, ProcMemory.PeakMiB() ?? 0);
}
