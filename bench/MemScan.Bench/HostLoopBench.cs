using System.Diagnostics;
using MemScan.Scanner.Isolation;
using MemScan.Scanner.Models;
using MemScan.Scanner.Onnx;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Sweeps;
using MemScan.Scanner.Tokenizers;

namespace MemScan.Bench;

/// <summary>
/// Whole decoding loops in the isolated host (<c>--only hostloops</c>), on a mid-size GPT: greedy
/// decoding in process, through the host one round trip per token (the path before, kept behind
/// <see cref="IsolatedLanguageModel.HostLoops"/>) and with the loop in the host; a top-k sweep's
/// cost per token against greedy's; the top-k selection before and after; the exact-rank tree in
/// process and through the host; and both processes' peak memory. Every comparison is measured in
/// interleaved rounds (A, B, C, A, B, C, ...) so a neighbour's load hits all variants alike.
/// </summary>
public static class HostLoopBench
{
    const int NewTokens = 32, TopK = 40, Rounds = 11;

    public static void Run(BenchModel m, OnnxSessionOptions options, TextWriter log)
    {
        using var inProcess = OnnxLanguageModel.Open(m.OnnxPath, null, options);
        using var perToken = IsolatedLanguageModel.Open(m.OnnxPath, null, options);
        perToken.HostLoops = false;
        using var loop = IsolatedLanguageModel.Open(m.OnnxPath, null, options);
        var tokenizer = CharTokenizer.Create("\0a");
        using var watched = WatchHosts(perToken.ChildProcessId, loop.ChildProcessId);

        var decoding = new List<Measured>();
        var sampling = new List<Measured>();
        foreach (int batch in new[] { 8, 32 })
        {
            // The bench's 8 prompts, repeated up to the batch: decoding cost does not depend on which prompts.
            var prompts = Enumerable.Range(0, batch).Select(i => m.Prompts[i % m.Prompts.Length]).ToArray();
            var greedy = Interleaved(
                () => GreedyDecoding.Decode(inProcess, prompts, NewTokens),
                () => GreedyDecoding.Decode(perToken, prompts, NewTokens),
                () => GreedyDecoding.Decode(loop, prompts, NewTokens));
            var cpu = _lastCpu;
            double tokens = batch * NewTokens;
            decoding.Add(new($"greedy, batch {batch}, in-process", tokens / greedy[0], $"{greedy[0]:F2}s, CPU {cpu[0]:F2}s"));
            decoding.Add(new($"greedy, batch {batch}, isolated, a round trip per token (before)", tokens / greedy[1],
                $"{greedy[0] / greedy[1]:F2}x of in-process; CPU {cpu[1]:F2}s, in-process's / this {cpu[0] / cpu[1]:F2}"));
            decoding.Add(new($"greedy, batch {batch}, isolated, loop in the host (now)", tokens / greedy[2],
                $"{greedy[0] / greedy[2]:F2}x of in-process; CPU {cpu[2]:F2}s, in-process's / this {cpu[0] / cpu[2]:F2}"));

            // The sweep starts from a one-token prompt, so its prompt run is as cheap as it gets; the
            // greedy side decodes the same number of tokens from the same one-token start.
            var settings = new SweepSettings { Tokens = NewTokens, TopK = TopK, Seed = 1 };
            var start = PromptSource.Start("a", tokenizer);
            int[][] oneToken = Enumerable.Repeat(new[] { 1 }, batch).ToArray();
            foreach (var (where, lm) in new (string, LanguageModel)[] { ("in-process", inProcess), ("isolated, loop in the host", loop) })
            {
                var s = Interleaved(
                    () => GreedyDecoding.Decode(lm, oneToken, NewTokens),
                    () => new SweepGenerator(lm, start, settings).Generate(0, batch));
                sampling.Add(new($"greedy, batch {batch}, {where}", tokens / s[0], $"{s[0]:F2}s, CPU {_lastCpu[0]:F2}s"));
                sampling.Add(new($"top-{TopK} sampled, batch {batch}, {where}", tokens / s[1],
                    $"{s[1] / s[0]:F2}x greedy's wall per token, {_lastCpu[1] / _lastCpu[0]:F2}x its CPU"));
            }
        }
        Table.Print(log, $"Decoding through the isolated host, {m.Name}, {NewTokens} new tokens after 16-token prompts", "tokens/s",
            decoding, ("vs in-process b8", 0));
        Table.Print(log, $"Top-{TopK} sampling vs greedy, {m.Name}, {NewTokens} tokens from a one-token prompt", "tokens/s",
            sampling, ("vs greedy b8 in-process", 0));
        Table.Print(log, $"Top-{TopK} selection from a row of 50,257 log-probs", "rows/s", Selection(inProcess, m), ("vs before", 0));

        Table.Print(log, $"Exposure through the isolated host, {m.Name}", "rows/s", Exposure(m, options, inProcess), ("vs in-process", 0));
        Table.Print(log, $"MIA's position scoring (Min-K%++ reads every position's whole distribution) through the isolated host, {m.Name}, " +
                         $"{ScoredSequences} samples of {ScoredTokens} tokens", "tokens/s", PositionScoring(m, inProcess, perToken, loop), ("vs in-process", 0));
        log.WriteLine($"  peak RSS: bench process (the in-process model, the candidate tree, the scanner side of the hosts) {Timing.PeakRssMiB():F0} MiB; " +
                      $"decoding hosts {ChildPeakRssMiB(perToken):F0} and {ChildPeakRssMiB(loop):F0} MiB");
    }

    /// <summary>
    /// The exact-rank tree in process, through a host whose dropped states wait for this side's
    /// rare collections (before), and through one swept once it holds twice what it did (now):
    /// wall time (best of interleaved rounds), CPU seconds of both processes, the most the host held.
    /// </summary>
    static IReadOnlyList<Measured> Exposure(BenchModel m, OnnxSessionOptions options, OnnxLanguageModel inProcess)
    {
        using var before = IsolatedLanguageModel.Open(m.OnnxPath, null, options);
        before.SweepFloorBytes = long.MaxValue;
        using var now = IsolatedLanguageModel.Open(m.OnnxPath, null, options);
        var models = new LanguageModel[] { inProcess, before, now };
        var roots = models.Select(lm => lm.Advance([lm.Initial], [m.RootTokens])[0]).ToArray();
        var best = new double[3];
        Array.Fill(best, double.MaxValue);
        var cpu = new (double Here, double Host)[3];
        var held = new long[3];
        long rows = 0;
        for (int round = -1; round < 2; round++)
            for (int v = 0; v < models.Length; v++)
            {
                var lm = models[v];
                var isolated = lm as IsolatedLanguageModel;
                double here = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, host = isolated is null ? 0 : CpuSeconds(isolated.ChildProcessId);
                long queries = lm.Queries, most = 0;
                var watch = Stopwatch.StartNew();
                new ExactRankSearch(lm, 512).Rank(roots[v], m.Trie, m.Secret, prune: false,
                    progress: (_, _) => { if (isolated is not null) most = Math.Max(most, isolated.HostHeldBytes); });
                double wall = watch.Elapsed.TotalSeconds;
                rows = lm.Queries - queries;
                if (round < 0) continue;
                best[v] = Math.Min(best[v], wall);
                cpu[v] = (Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - here, isolated is null ? 0 : CpuSeconds(isolated.ChildProcessId) - host);
                held[v] = Math.Max(held[v], most);
            }
        string Cpu(int v) => v == 0 ? $"CPU {cpu[0].Here:F1}s" : $"CPU {cpu[v].Here:F1}s here + {cpu[v].Host:F1}s host = {(cpu[v].Here + cpu[v].Host) / cpu[0].Here:F2}x in-process's";
        return
        [
            new("exact-rank tree, in-process", rows / best[0], $"{rows:N0} rows over {m.Trie.CandidateCount:N0} candidates, {best[0]:F2}s, {Cpu(0)}"),
            new("exact-rank tree, isolated, released on rare collections (before)", rows / best[1],
                $"{best[0] / best[1]:F2}x of in-process, {Cpu(1)}, host held ≤ {held[1] >> 20:N0} MiB, host peak RSS {ChildPeakRssMiB(before):F0} MiB"),
            new("exact-rank tree, isolated, swept at twice the held bytes (now)", rows / best[2],
                $"{best[0] / best[2]:F2}x of in-process, {Cpu(2)}, host held ≤ {held[2] >> 20:N0} MiB, host peak RSS {ChildPeakRssMiB(now):F0} MiB"),
        ];
    }

    /// <summary>The model hosts whose CPU time counts with this process's (<see cref="CpuNow"/>).</summary>
    static readonly List<int> Hosts = [];

    /// <summary>Counts these hosts' CPU time with this process's until disposed: a later section must not read a closed host's /proc entry.</summary>
    internal static IDisposable WatchHosts(params int[] pids)
    {
        Hosts.AddRange(pids);
        return new Unwatch(pids);
    }

    sealed record Unwatch(int[] Pids) : IDisposable
    {
        public void Dispose() => Hosts.RemoveAll(Pids.Contains);
    }

    /// <summary>CPU seconds of this process and the model hosts together: on a loaded machine steadier than wall time.</summary>
    static double CpuNow() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds + Hosts.Sum(CpuSeconds);

    /// <summary>Least CPU seconds (this process and the hosts) each action of the last <see cref="Interleaved"/> took.</summary>
    internal static double[] _lastCpu = [];

    const int ScoredSequences = 64, ScoredTokens = 16;

    /// <summary>
    /// <see cref="LanguageModel.ScorePositions"/> (MIA's scoring loop) in process, through the host
    /// a vocabulary-wide row per position (before, the loop on this side) and with the loop in the
    /// host, which answers two numbers a position (now); the answers are checked bitwise equal.
    /// </summary>
    static IReadOnlyList<Measured> PositionScoring(BenchModel m, LanguageModel inProcess, IsolatedLanguageModel rows, IsolatedLanguageModel loop)
    {
        var random = new Random(20);
        var sequences = Enumerable.Range(0, ScoredSequences)
            .Select(_ => Enumerable.Range(0, ScoredTokens).Select(_ => random.Next(inProcess.VocabSize)).ToArray()).ToArray();
        var answers = new PositionScores[3][];
        var t = Interleaved(
            () => answers[0] = inProcess.ScorePositions(sequences),
            () => answers[1] = rows.ScorePositions(sequences),
            () => answers[2] = loop.ScorePositions(sequences));
        var cpu = _lastCpu;
        static long[] Bits(PositionScores[] a) =>
            [.. a.SelectMany(p => p.LogProbs.Select(x => (long)BitConverter.SingleToInt32Bits(x)).Concat(p.Standardized.Select(BitConverter.DoubleToInt64Bits)))];
        string same = Bits(answers[1]).SequenceEqual(Bits(answers[0])) && Bits(answers[2]).SequenceEqual(Bits(answers[0])) ? "same answers (bitwise)" : "ANSWERS DIFFER";
        double tokens = ScoredSequences * (ScoredTokens - 1);
        return
        [
            new("position scoring, in-process", tokens / t[0], $"{t[0]:F2}s, CPU {cpu[0]:F2}s"),
            new("position scoring, isolated, a row per position over the pipe (before)", tokens / t[1], $"{t[0] / t[1]:F2}x of in-process; CPU {cpu[1]:F2}s (both processes)"),
            new("position scoring, isolated, loop in the host (now)", tokens / t[2], $"{t[0] / t[2]:F2}x of in-process; CPU {cpu[2]:F2}s (both processes); {same}"),
        ];
    }

    /// <summary>
    /// Pause before each timed action. ONNX Runtime's workers spin for a while after a run, waiting
    /// for the next: the in-process model's spun through 40 ms of CPU while the host decoded its
    /// next 0.2 s round, on a 2-core machine. A real scan has one of the two, not both, so every
    /// variant here starts once the previous one's workers have gone to sleep.
    /// </summary>
    const int SettleMilliseconds = 100;

    /// <summary>Best seconds of each action over <see cref="Rounds"/> interleaved rounds, after one warm-up round.</summary>
    internal static double[] Interleaved(params Action[] actions)
    {
        var best = actions.Select(_ => double.MaxValue).ToArray();
        var cpu = actions.Select(_ => double.MaxValue).ToArray();
        for (int round = -1; round < Rounds; round++)
            for (int a = 0; a < actions.Length; a++)
            {
                Thread.Sleep(SettleMilliseconds);
                double cpuBefore = CpuNow();
                var watch = Stopwatch.StartNew();
                actions[a]();
                if (round < 0) continue;
                best[a] = Math.Min(best[a], watch.Elapsed.TotalSeconds);
                cpu[a] = Math.Min(cpu[a], CpuNow() - cpuBefore);
            }
        _lastCpu = cpu;
        return best;
    }

    static long Rows(LanguageModel lm, Action search)
    {
        long before = lm.Queries;
        search();
        return lm.Queries - before;
    }

    /// <summary>
    /// Top-40 of real rows of the GPT's next-token log-probs, element by element (the selection
    /// before) and a SIMD vector at a time against the 40th (now); the bench checks they agree.
    /// </summary>
    static IReadOnlyList<Measured> Selection(LanguageModel lm, BenchModel m)
    {
        var rows = lm.Advance(m.Prompts.Select(_ => lm.Initial).ToArray(), m.Prompts).Select(s => s.NextLogProbs).ToArray();
        foreach (var row in rows)
            if (!TopNextLogProbs.TopIndicesElementByElement(row, TopK).SequenceEqual(TopNextLogProbs.TopIndices(row, TopK)))
                throw new InvalidOperationException("the one-pass top-k selection differs from the element-by-element one");
        const int Repeats = 500;
        var s = Interleaved(
            () => { for (int i = 0; i < Repeats; i++) TopNextLogProbs.TopIndicesElementByElement(rows[i % rows.Length], TopK); },
            () => { for (int i = 0; i < Repeats; i++) TopNextLogProbs.TopIndices(rows[i % rows.Length], TopK); },
            () => { for (int i = 0; i < Repeats; i++) TopNextLogProbs.TopIndices(rows[i % rows.Length], 1); });
        return
        [
            new("element by element (before)", Repeats / s[0], $"{s[0] * 1e6 / Repeats:F1} µs/row"),
            new("SIMD against the 40th (now)", Repeats / s[1], $"{s[1] * 1e6 / Repeats:F1} µs/row"),
            new("top-1 (greedy), now", Repeats / s[2], $"{s[2] * 1e6 / Repeats:F1} µs/row"),
        ];
    }


    /// <summary>User + system CPU seconds of a process so far (/proc/PID/stat, clock ticks of 1/100 s).</summary>
    static double CpuSeconds(int pid)
    {
        var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0;
    }

    /// <summary>The model host's resident-set high-water mark (VmHWM), MiB.</summary>
    static double ChildPeakRssMiB(IsolatedLanguageModel model)
    {
        foreach (var line in File.ReadLines($"/proc/{model.ChildProcessId}/status"))
            if (line.StartsWith("VmHWM:")) return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
        return double.NaN;
    }
}
