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
    const int NewTokens = 32, TopK = 40, Rounds = 3;

    public static void Run(BenchModel m, OnnxSessionOptions options, TextWriter log)
    {
        using var inProcess = OnnxLanguageModel.Open(m.OnnxPath, null, options);
        using var perToken = IsolatedLanguageModel.Open(m.OnnxPath, null, options);
        perToken.HostLoops = false;
        using var loop = IsolatedLanguageModel.Open(m.OnnxPath, null, options);
        var tokenizer = CharTokenizer.Create("\0a");

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
            double tokens = batch * NewTokens;
            decoding.Add(new($"greedy, batch {batch}, in-process", tokens / greedy[0], $"{greedy[0]:F2}s"));
            decoding.Add(new($"greedy, batch {batch}, isolated, a round trip per token (before)", tokens / greedy[1], $"{greedy[0] / greedy[1]:F2}x of in-process"));
            decoding.Add(new($"greedy, batch {batch}, isolated, loop in the host (now)", tokens / greedy[2], $"{greedy[0] / greedy[2]:F2}x of in-process"));

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
                sampling.Add(new($"greedy, batch {batch}, {where}", tokens / s[0], $"{s[0]:F2}s"));
                sampling.Add(new($"top-{TopK} sampled, batch {batch}, {where}", tokens / s[1], $"{s[1] / s[0]:F2}x greedy's cost per token"));
            }
        }
        Table.Print(log, $"Decoding through the isolated host, {m.Name}, {NewTokens} new tokens after 16-token prompts", "tokens/s",
            decoding, ("vs in-process b8", 0));
        Table.Print(log, $"Top-{TopK} sampling vs greedy, {m.Name}, {NewTokens} tokens from a one-token prompt", "tokens/s",
            sampling, ("vs greedy b8 in-process", 0));
        Table.Print(log, $"Top-{TopK} selection from a row of 50,257 log-probs", "rows/s", Selection(inProcess, m), ("vs before", 0));

        var tree = new List<Measured>();
        var root = (inProcess.Advance([inProcess.Initial], [m.RootTokens])[0], loop.Advance([loop.Initial], [m.RootTokens])[0]);
        long rows = 0;
        var search = Interleaved(
            () => rows = Rows(inProcess, () => new ExactRankSearch(inProcess, 512).Rank(root.Item1, m.Trie, m.Secret, prune: false)),
            () => Rows(loop, () => new ExactRankSearch(loop, 512).Rank(root.Item2, m.Trie, m.Secret, prune: false)));
        tree.Add(new("exact-rank tree, in-process", rows / search[0], $"{rows:N0} rows over {m.Trie.CandidateCount:N0} candidates, {search[0]:F2}s"));
        tree.Add(new("exact-rank tree, isolated", rows / search[1], $"{search[0] / search[1]:F2}x of in-process"));
        Table.Print(log, $"Exposure through the isolated host, {m.Name}", "rows/s", tree, ("vs in-process", 0));

        log.WriteLine($"  peak RSS: bench process (in-process model and the scanner side of two hosts) {Timing.PeakRssMiB():F0} MiB; " +
                      $"host processes {ChildPeakRssMiB(perToken):F0} and {ChildPeakRssMiB(loop):F0} MiB");
    }

    /// <summary>Best seconds of each action over <see cref="Rounds"/> interleaved rounds, after one warm-up round.</summary>
    static double[] Interleaved(params Action[] actions)
    {
        var best = actions.Select(_ => double.MaxValue).ToArray();
        for (int round = -1; round < Rounds; round++)
            for (int a = 0; a < actions.Length; a++)
            {
                var watch = Stopwatch.StartNew();
                actions[a]();
                if (round >= 0) best[a] = Math.Min(best[a], watch.Elapsed.TotalSeconds);
            }
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
            if (!ElementByElement(row, TopK).SequenceEqual(TopNextLogProbs.TopIndices(row, TopK)))
                throw new InvalidOperationException("the one-pass top-k selection differs from the element-by-element one");
        const int Repeats = 500;
        var s = Interleaved(
            () => { for (int i = 0; i < Repeats; i++) ElementByElement(rows[i % rows.Length], TopK); },
            () => { for (int i = 0; i < Repeats; i++) TopNextLogProbs.TopIndices(rows[i % rows.Length], TopK); },
            () => { for (int i = 0; i < Repeats; i++) TopNextLogProbs.TopIndices(rows[i % rows.Length], 1); });
        return
        [
            new("element by element (before)", Repeats / s[0], $"{s[0] * 1e6 / Repeats:F1} µs/row"),
            new("SIMD against the 40th (now)", Repeats / s[1], $"{s[1] * 1e6 / Repeats:F1} µs/row"),
            new("top-1 (greedy), now", Repeats / s[2], $"{s[2] * 1e6 / Repeats:F1} µs/row"),
        ];
    }

    /// <summary>The selection before the one-pass version (insertion into a sorted prefix, element by element).</summary>
    static int[] ElementByElement(float[] values, int k)
    {
        var best = new int[k];
        int count = 0;
        for (int i = 0; i < values.Length; i++)
        {
            float v = values[i];
            if (count == k && !(v > values[best[k - 1]])) continue;
            int at = count < k ? count++ : k - 1;
            while (at > 0 && v > values[best[at - 1]])
            {
                best[at] = best[at - 1];
                at--;
            }
            best[at] = i;
        }
        return best;
    }

    /// <summary>The model host's resident-set high-water mark (VmHWM), MiB.</summary>
    static double ChildPeakRssMiB(IsolatedLanguageModel model)
    {
        foreach (var line in File.ReadLines($"/proc/{model.ChildProcessId}/status"))
            if (line.StartsWith("VmHWM:")) return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
        return double.NaN;
    }
}
