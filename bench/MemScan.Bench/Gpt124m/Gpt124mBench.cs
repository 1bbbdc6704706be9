using MemScan.Scanner.Onnx;
using MemScan.Trainer.Models;

namespace MemScan.Bench.Gpt124m;

/// <summary>
/// The gpt124m section: every probe on a GPT-2-small-sized model through the real CLI
/// (<c>memscan scan</c> / <c>memscan sweep</c> in a child process, in-process and isolated), with
/// wall time, model rows or tokens per second, GFLOP/s and share of the MatMul peak, and peak RSS of
/// the scanner and of its model host; where the memory of an in-process scan goes; and the int8 and
/// float16 exports beside float32.
/// </summary>
public static class Gpt124mBench
{
    public static readonly string[] Probes = ["memory", "exposure", "extraction", "discoverable", "mia", "sweep", "space8", "decode", "precision"];

    /// <summary>
    /// The 10^8 probe: a digits:8 canary given on the command line (beside the manifest's), exact
    /// search stopped after one batch so the rank is extrapolated (this one-step model memorized
    /// nothing; the exact walk would go on for hours), under an explicit memory budget.
    /// </summary>
    public const string Space8Template = "the vault combination is {secret}", Space8Secret = "31415926", Space8MemoryBudget = "1G";
    public const int Space8ExactBudget = 512, Space8Samples = 200;

    /// <summary>Extraction's row budget: the shortest-path search runs this many model rows (a fixed amount of work to time).</summary>
    public const long ExtractionBudget = 4_000;
    /// <summary>Interleaved in-process/isolated pairs of the short probes (exposure, extraction).</summary>
    public const int ShortProbeRounds = 5;
    /// <summary>Pairs of the two-minute probes (discoverable, MIA): one run each let a noisy stretch move MIA's ratio to 0.90x (run 7).</summary>
    public const int LongProbeRounds = 2;

    public const int MiaSamples = 500, MiaTokens = 16, DiscoverablePrefix = 32, DiscoverableSuffix = 24, SweepSamples = 256, SweepTokens = 256;

    /// <summary>
    /// Matmul FLOPs of one token that sees <paramref name="context"/> positions: QKV (3d²), attention
    /// output (d²) and MLP (8d²) multiply-adds per layer, scores and weighted values over the context
    /// (2·d·context per layer), the tied head (d·V); ×2. Embeddings, LayerNorm, softmax not counted.
    /// </summary>
    public static double FlopsPerToken(GptShape s, double context) =>
        2.0 * (12.0 * s.Dim * s.Dim * s.Layers + 2.0 * s.Dim * context * s.Layers + (double)s.Dim * s.Vocab);

    public static void Run(BenchOptions o, string work, double peak, TextWriter log)
    {
        var m = Gpt124mModels.Prepare(work, o.Gpt124mDim, o.Gpt124mLayers, o.Gpt124mDim / 64, o.Threads, log);
        string onnx = m.ModelPath;
        log.WriteLine($"GPT {m.Shape.Layers}x{m.Shape.Dim}: {m.Parameters / 1e6:F1}M parameters, model.onnx {Gpt124mModels.FileSize(onnx)}, " +
                      $"int8 {Gpt124mModels.FileSize(Path.Combine(m.Int8Dir, "model.onnx"))}, float16 {Gpt124mModels.FileSize(Path.Combine(m.Float16Dir, "model.onnx"))}; " +
                      $"canary '{m.Canary.Template.TrimEnd()}' in digits:6");
        var options = o.Session;
        bool Wants(string p) => o.Gpt124mProbes.Contains(p);
        double? sessionMiB = null; // resident growth of loading the model into ONNX Runtime, from the memory probe

        if (Wants("memory"))
        {
            // In a fresh process: this one may have just trained three 124M models.
            string threadsArg = o.Threads.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var child = new System.Diagnostics.ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true };
            foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "memscan-bench.dll"), MemoryChildFlag, work, $"{o.Gpt124mDim}", $"{o.Gpt124mLayers}", threadsArg, $"{o.Batch}",
                         peak.ToString("R", System.Globalization.CultureInfo.InvariantCulture) })
                child.ArgumentList.Add(a);
            using var p = System.Diagnostics.Process.Start(child)!;
            string printed = p.StandardOutput.ReadToEnd();
            log.Write(printed);
            p.WaitForExit();
            var loaded = System.Text.RegularExpressions.Regex.Match(printed, @"ORT session [^:]*: ([\d,]+) MiB resident");
            if (loaded.Success) sessionMiB = double.Parse(loaded.Groups[1].Value.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture);
            LoadMemoryBench.Run(onnx, o.Threads, log);
        }

        string runs = Path.Combine(work, "gpt124m-runs");
        string threads = o.Threads.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var probes = new List<Gpt124mProbe>();
        int root = Gpt2Root(m);
        string[] Scan(string model, params string[] rest) => ["scan", model, "--runs", runs, "--threads", threads, .. rest];
        foreach (var (mode, flag) in new[] { ("in-process", "--in-process"), ("isolated", "") })
        {
            string[] F(string[] a) => flag.Length > 0 ? [.. a, flag] : a;
            if (Wants("exposure"))
                probes.Add(new("exposure", mode, F(Scan(onnx, "--probes", "exposure", "--samples", "0")), 1, root + 3,
                    "a row = one token after the prompt and the secret's first tokens"));
            if (Wants("extraction"))
                probes.Add(new("extraction", mode, F(Scan(onnx, "--probes", "extraction", "--extract-budget", $"{ExtractionBudget}")), 1, root + 3,
                    "a row = one token after the prompt and the secret's first tokens"));
        }
        // Every probe in both modes, in-process first: isolation's cost is the ratio of each pair.
        foreach (var (mode, flag) in new[] { ("in-process", "--in-process"), ("isolated", "") })
        {
            string[] F(string[] a) => flag.Length > 0 ? [.. a, flag] : a;
            if (Wants("discoverable"))
                probes.Add(new("discoverable", mode, F(Scan(onnx, "--probes", "discoverable", "--samples-file", m.SamplesFile, "--prefix-lengths", $"{DiscoverablePrefix}", "--suffix-tokens", $"{DiscoverableSuffix}")),
                    1, DiscoverablePrefix + DiscoverableSuffix / 2, $"a row = one token, prompt rows counted as one token (a lower bound)"));
            if (Wants("mia"))
                probes.Add(new("mia", mode, F(Scan(onnx, "--probes", "mia", "--mia-max-samples", $"{MiaSamples}", "--mia-max-tokens", $"{MiaTokens}", "--folds", "0")),
                    1, (MiaTokens + 1) / 2, "tokens = the scored samples' tokens (mia_scores.parquet) × (the target, its lowercase copy and each reference); " +
                    "model rows mix the target's one-token steps (Min-K%++ reads every position's whole distribution) and whole-sample rows of the other models"));
            if (Wants("sweep"))
                probes.Add(new("sweep", mode, F(["sweep", onnx, "--sweeps", Path.Combine(work, "gpt124m-sweeps"), "--sweep-id", $"bench-{mode}-{DateTime.UtcNow:HHmmss}",
                    "--samples", $"{SweepSamples}", "--tokens", $"{SweepTokens}", "--threads", threads]), 1, SweepTokens / 2, "a token generated at the sweep's mean context"));
        }

        if (Wants("space8"))
            probes.Add(new("space8", "isolated", Scan(onnx, "--probes", "exposure", "--canary", Space8Template, "--space", "digits:8", "--secret", Space8Secret,
                    "--exact-budget", $"{Space8ExactBudget}", "--samples", $"{Space8Samples}", "--memory-budget", Space8MemoryBudget),
                1, root + 4, $"digits:8 (10^8 candidates, lazily expanded tree: the root's children need every candidate encoded once), exact search stopped after {Space8ExactBudget} rows, " +
                             $"rank extrapolated from {Space8Samples} sampled candidates, --memory-budget {Space8MemoryBudget}; the manifest's digits:6 canary runs too; rows/s counts the scan's time, encoding included"));

        if (probes.Count > 0)
        {
            log.WriteLine();
            log.WriteLine($"Every probe on GPT {m.Shape.Layers}x{m.Shape.Dim} through memscan scan/sweep in a child process (MatMul peak {peak:F1} GFLOP/s)");
            log.WriteLine($"| probe | mode | model rows | probe time | wall (incl. load) | rows/s | tokens/s | GFLOP/s | of peak | peak RSS scanner | peak RSS host |");
            log.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            // Each probe's in-process run right before its isolated one: a pair sees the same load.
            var order = probes.Select(p => p.Name).Distinct().ToList();
            probes = [.. probes.OrderBy(p => order.IndexOf(p.Name))];
            var rates = new Dictionary<(string Name, string Mode), double>();
            var memory = new List<string>();
            double fileMiB = new FileInfo(onnx).Length / 1048576.0;
            ((string Rank, string Bits)? Exposure, int ExitCode)? space8 = null;
            foreach (var group in probes.GroupBy(p => p.Name))
            {
                // Probes run as interleaved pairs, the fastest of each mode kept: one ~10 s run each
                // moved isolation's ratio by ±0.1 from one bench run to the next. Every other round
                // runs the modes in the other order (A B B A ...), so a drifting load favours neither.
                int rounds = group.Key switch { "exposure" or "extraction" => ShortProbeRounds, "discoverable" or "mia" => LongProbeRounds, _ => 1 };
                var best = new Dictionary<Gpt124mProbe, (ChildResult R, long Rows, double Seconds, double ScannerPeak, double HostPeak)>();
                for (int round = 0; round < rounds; round++)
                    foreach (var p in round % 2 == 0 ? group : group.Reverse())
                    {
                        var r = ChildRun.Run(p.Args, log, Path.Combine(work, "gpt124m-logs", $"{p.Name}-{p.Mode}.txt"));
                        long rows; double seconds;
                        if (Gpt124mProbe.ParseRows(r.Output) is { } parsed) (rows, seconds) = parsed;
                        else (rows, seconds) = ((long)SweepSamples * SweepTokens, r.WallSeconds); // the sweep prints no row count: its tokens, timed by the wall
                        // The fastest run's time and output; the largest peaks of all runs.
                        if (!best.TryGetValue(p, out var kept)) best[p] = (r, rows, seconds, r.ScannerPeakMiB, r.HostPeakMiB);
                        else best[p] = (seconds < kept.Seconds ? r : kept.R, seconds < kept.Seconds ? rows : kept.Rows, Math.Min(seconds, kept.Seconds),
                            Math.Max(kept.ScannerPeak, r.ScannerPeakMiB), Math.Max(kept.HostPeak, r.HostPeakMiB));
                    }
                foreach (var p in group)
                {
                    var (r, rows, seconds, scannerPeak, hostPeak) = best[p];
                    r = r with { ScannerPeakMiB = scannerPeak, HostPeakMiB = hostPeak };
                    double tokensPerSecond = (p.Name == "mia" && MiaTokensEvaluated(r.Output) is long miaTokens ? miaTokens : rows * p.TokensPerRow) / seconds;
                    double gflops = tokensPerSecond * FlopsPerToken(m.Shape, p.Context) / 1e9;
                    rates[(p.Name, p.Mode)] = tokensPerSecond;
                    if (p.Name == "space8") space8 = (Gpt124mProbe.ParseExposure(r.Output, "cli-1"), r.ExitCode);
                    memory.Add(MemoryBound(p, r, fileMiB, sessionMiB));
                    string bestOf = rounds > 1 ? $" (best of {rounds})" : "";
                    log.WriteLine($"| {p.Name} | {p.Mode} | {rows:N0} | {seconds:F1} s{bestOf} | {r.WallSeconds:F1} s | {rows / seconds:N0} | {tokensPerSecond:N0} | {gflops:F1} | {gflops / peak:P0} | {scannerPeak:N0} MiB | {(hostPeak > 0 ? $"{hostPeak:N0} MiB" : "-")} |");
                }
            }
            foreach (var p in probes.DistinctBy(p => p.Name)) log.WriteLine($"  {p.Name}: {p.Counting}, context {p.Context}");
            if (space8 is { } x)
                log.WriteLine($"  space8: exit {x.ExitCode}; the digits:8 canary's rank {x.Exposure?.Rank ?? "?"} of 10^8, {x.Exposure?.Bits ?? "?"} bits (extrapolated unless the exact search fitted)");
            foreach (var line in memory) log.WriteLine(line);
            foreach (var name in order.Where(n => rates.ContainsKey((n, "in-process")) && rates.ContainsKey((n, "isolated"))))
                log.WriteLine($"  isolation, {name}: isolated at {rates[(name, "isolated")] / rates[(name, "in-process")]:F2}x of in-process (goal ≥ 0.9x)");
        }

        if (Wants("decode")) DecodeBatch32(onnx, m.Shape, o.Threads, peak, log);
        if (Wants("precision")) PrecisionBench.Run(m, options, runs, threads, peak, Path.Combine(work, "gpt124m-logs"), log);
        if (Wants("precision")) HalfMemoryBench.Run(m, o.Threads, log);
    }

    /// <summary>
    /// The probe's largest process (scanner or host) against the bound the scan promises: the
    /// model as ONNX Runtime holds it (the memory probe's loaded session; the file's size when that
    /// probe did not run) plus --memory-budget (the probe's, else the machine default, a quarter of
    /// this machine's memory), which bounds held states and each run's outputs.
    /// </summary>
    static string MemoryBound(Gpt124mProbe p, ChildResult r, double fileMiB, double? sessionMiB)
    {
        int at = Array.IndexOf(p.Args, "--memory-budget");
        long budget = at >= 0 ? MemScan.Scanner.Scanning.MemoryBudgets.Parse(p.Args[at + 1]) : MemScan.Scanner.Scanning.MemoryBudgets.MachineDefault;
        double budgetMiB = budget / 1048576.0, largest = Math.Max(r.ScannerPeakMiB, r.HostPeakMiB);
        string vsFile = $"model file {fileMiB:N0} + budget {budgetMiB:N0} = {fileMiB + budgetMiB:N0} MiB: {(largest <= fileMiB + budgetMiB ? "within" : "over")}";
        string vsSession = sessionMiB is double s ? $"; loaded session {s:N0} + budget = {s + budgetMiB:N0} MiB: {(largest <= s + budgetMiB ? "within" : "over")}" : "";
        return $"  memory, {p.Name} {p.Mode}: largest process {largest:N0} MiB ({largest / fileMiB:F1}x the model file); {vsFile}{vsSession}";
    }

    /// <summary>
    /// Tokens a mia scan evaluated: each scored sample's tokens (mia_scores.parquet, one attack's rows)
    /// once for the target, once for its lowercase copy (the lowercase attack; about as long) and once
    /// per reference model the scan names ("reference NAME: PATH"). Null when the run folder cannot be read.
    /// </summary>
    static long? MiaTokensEvaluated(string output)
    {
        var folder = System.Text.RegularExpressions.Regex.Match(output, @"results: (\S+) \(").Groups[1].Value;
        string scores = Path.Combine(folder, "mia_scores.parquet");
        if (folder.Length == 0 || !File.Exists(scores)) return null;
        var rows = MemScan.Scanner.Results.ParquetTable<MemScan.Scanner.Probes.Membership.MiaScoreRow>.ReadAsync(scores).GetAwaiter().GetResult();
        long perModel = rows.Where(x => x.Attack == rows[0].Attack).Sum(x => (long)x.LengthTokens);
        int references = System.Text.RegularExpressions.Regex.Matches(output, @"memscan: reference [^:]+: ").Count;
        return perModel * (2 + references);
    }

    /// <summary>
    /// Batch-32 greedy decoding in this process (64 new tokens after 16-token prompts), the loop that
    /// feeds each run's presents back as the next past against the per-token loop (gather and scatter
    /// every row's cache per token), in interleaved rounds: tokens/s, GFLOP/s over prompt and generated
    /// positions, share of the peak.
    /// </summary>
    static void DecodeBatch32(string onnx, GptShape shape, int threads, double peak, TextWriter log)
    {
        const int Batch = 32, Tokens = 64, Prompt = 16, Rounds = 2;
        double flops = DecodeThroughput.Flops(position => FlopsPerToken(shape, position), Batch, Prompt, Tokens);
        var best = new Dictionary<bool, double> { [true] = 0, [false] = 0 };
        for (int round = 0; round < Rounds; round++)
            foreach (bool feedBack in new[] { true, false })
                best[feedBack] = Math.Max(best[feedBack], DecodeThroughput.GreedyTokensPerSecond(onnx, Batch, Tokens, threads, feedBack, rounds: 1));
        log.WriteLine();
        log.WriteLine($"Batch-{Batch} greedy decoding on GPT {shape.Layers}x{shape.Dim}, in-process, {Tokens} new tokens after {Prompt}-token prompts, best of {Rounds} interleaved rounds (MatMul peak {peak:F1} GFLOP/s)");
        log.WriteLine("| loop | generated tokens/s | GFLOP/s (prompt and generated positions) | of peak |");
        log.WriteLine("|---|---:|---:|---:|");
        foreach (var (name, feedBack) in new[] { ("per token: every row's cache gathered in and scattered out per token (before)", false), ("presents fed back as the next past (after)", true) })
        {
            double gflops = best[feedBack] / (Batch * Tokens) * flops / 1e9;
            log.WriteLine($"| {name} | {best[feedBack]:N0} | {gflops:F1} | {gflops / peak:P0} |");
        }
        log.WriteLine($"  after ÷ before: {best[true] / best[false]:F2}x");
    }

    public const string MemoryChildFlag = "--gpt124m-memory-child";

    /// <summary>memscan-bench --gpt124m-memory-child WORK DIM LAYERS THREADS BATCH PEAK: the memory and in-process throughput breakdown in a process of its own.</summary>
    public static int MemoryChildMain(string[] args)
    {
        MemScan.Scanner.Onnx.NativeHeap.ReturnLargeFreedBlocks(); // the scan's in-process memory, as memscan has it
        int Arg(int i) => int.Parse(args[i], System.Globalization.CultureInfo.InvariantCulture);
        var m = Gpt124mModels.Prepare(args[1], Arg(2), Arg(3), Arg(2) / 64, Arg(4), TextWriter.Null);
        PrintMemory(m, new OnnxSessionOptions { IntraOpThreads = Arg(4) }, Arg(5), double.Parse(args[6], System.Globalization.CultureInfo.InvariantCulture), Console.Out);
        return 0;
    }

    /// <summary>Tokens of the canary's prompt (its prefix), the root of the candidate tree.</summary>
    static int Gpt2Root(Gpt124mModels m) =>
        MemScan.Scanner.Tokenizers.Gpt2BpeTokenizer.CreateDefault().Encode(m.Canary.Prefix).Length;

    static void PrintMemory(Gpt124mModels m, OnnxSessionOptions options, int batch, double peak, TextWriter log)
    {
        var (baseline, loaded, treeSeconds, phases) = MemoryBreakdown.Measure(m, options, batch, ExtractionBudget);
        var s = m.Shape;
        double kvPerToken = 2.0 * s.Layers * s.Dim * 4 / 1024; // KiB: key + value, every layer, float
        log.WriteLine();
        log.WriteLine($"Where memory goes, GPT {s.Layers}x{s.Dim} in-process (batch {batch}); float weights {m.FloatWeightBytes / 1048576.0:N0} MiB");
        log.WriteLine($"  ORT session (weights as loaded, graph, initial arena): {loaded - baseline:N0} MiB resident ({baseline:N0} → {loaded:N0} MiB)");
        log.WriteLine($"  KV cache: {kvPerToken:N0} KiB per token of history; a {Gpt2Root(m) + 6}-token node {kvPerToken * (Gpt2Root(m) + 6) / 1024:F1} MiB; " +
                      $"next-token log-probabilities {s.Vocab * 4 / 1024.0:N0} KiB per row; logits of one model run [{batch}, 1, {s.Vocab:N0}] {batch * (double)s.Vocab * 4 / 1048576:N0} MiB");
        log.WriteLine($"  tokenizing the canary's {m.Canary.Space.Size:N0} candidates into its tree (GPT-2 BPE, before any search; inside the CLI probes' time): {treeSeconds:F1} s");
        log.WriteLine($"| phase (in-process, MatMul peak {peak:F1} GFLOP/s) | model rows | search time | rows/s | GFLOP/s | of peak | peak RSS | peak managed heap (LmStates, copies) | native above the loaded session (ORT arenas, outputs) |");
        log.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var p in phases)
        {
            double gflops = p.Rows * p.TokensPerRow / p.Seconds * FlopsPerToken(s, p.Context) / 1e9;
            log.WriteLine($"| {p.Name} | {p.Rows:N0} | {p.Seconds:F1} s | {p.Rows / p.Seconds:N0} | {gflops:F1} | {gflops / peak:P0} | {p.PeakRssMiB:N0} MiB | {p.PeakManagedMiB:N0} MiB | {p.NativeAboveLoadMiB:N0} MiB |");
        }
    }
}
