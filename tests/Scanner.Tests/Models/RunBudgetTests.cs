using MemScan.Scanner.Isolation;
using MemScan.Scanner.Models;
using MemScan.Scanner.Scanning;
using MemScan.Scanner.Sweeps;
using MemScan.Scanner.Tests.Onnx;
using Xunit;

namespace MemScan.Scanner.Tests.Models;

/// <summary>
/// <see cref="LanguageModel.RunBudgetBytes"/>: a tiny budget splits every group into runs whose
/// counted bytes (logits, caches in and out) stay within it, and the decoding probes' answers are
/// those of the unbounded run (the same tokens; log-probs to a few ulps, as a smaller batch gives) and
/// bitwise those of any run under the same budget: greedy decoding (discoverable memorization), per-token
/// log-probs (MIA's scoring), top-k sampled decoding (sweeps); in process and in the isolated host,
/// which obeys the budget passed on its command line.
/// </summary>
public sealed class RunBudgetTests : IDisposable
{
    const int Vocab = 500;
    readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    string Model() => CacheSumOnnxModel.Write(_dir.File("kv.onnx"), Vocab);

    /// <summary>20 prompts of 8 tokens, as discoverable memorization feeds sample prefixes.</summary>
    static int[][] Prompts => Enumerable.Range(0, 20).Select(r => Enumerable.Range(0, 8).Select(j => (r * 31 + j * 7) % Vocab).ToArray()).ToArray();

    static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();

    /// <summary>What the three decoding probes ask of a model, as bit patterns.</summary>
    static (int[][] Greedy, int[][] GreedyLogProbs, int[][] Scores, int[][] Sampled, int[][] SampledLogProbs) Probes(LanguageModel model)
    {
        var start = Enumerable.Repeat(model.Initial, Prompts.Length).ToArray();
        var greedy = model.Decode(new DecodeRequest(start, Prompts, 12));
        var scores = model.TokenLogProbs(Prompts.Select((p, r) => p.Concat(greedy.Tokens[r]).ToArray()).ToArray());
        var sampling = new DecodeSampling(7, Enumerable.Range(0, Prompts.Length).Select(i => (long)i).ToArray(), new TemperatureSchedule(1.0, null, 0), TopK: 40);
        var sampled = model.Decode(new DecodeRequest(start, Prompts, 12, sampling));
        return (greedy.Tokens, greedy.LogProbs.Select(Bits).ToArray(), scores.Select(Bits).ToArray(), sampled.Tokens, sampled.LogProbs.Select(Bits).ToArray());
    }

    static void AssertSame((int[][], int[][], int[][], int[][], int[][]) expected, (int[][], int[][], int[][], int[][], int[][]) got)
    {
        Assert.Equal(expected.Item1, got.Item1);
        Assert.Equal(expected.Item2, got.Item2);
        Assert.Equal(expected.Item3, got.Item3);
        Assert.Equal(expected.Item4, got.Item4);
        Assert.Equal(expected.Item5, got.Item5);
    }

    /// <summary>
    /// Same tokens; log-probs within <paramref name="ulps"/> units in the last place. Why not
    /// bitwise: ONNX Runtime's CPU MatMul gives a row other low bits in a batch of 2 than in a batch
    /// of 20 (its kernels tile rows), as a smaller --batch does; measured up to 2 ulps on this model.
    /// </summary>
    static void AssertClose((int[][], int[][], int[][], int[][], int[][]) expected, (int[][], int[][], int[][], int[][], int[][]) got, int ulps)
    {
        Assert.Equal(expected.Item1, got.Item1);
        Assert.Equal(expected.Item4, got.Item4);
        foreach (var (a, b) in new[] { (expected.Item2, got.Item2), (expected.Item3, got.Item3), (expected.Item5, got.Item5) })
        {
            Assert.Equal(a.Length, b.Length);
            for (int r = 0; r < a.Length; r++)
            {
                Assert.Equal(a[r].Length, b[r].Length);
                for (int t = 0; t < a[r].Length; t++)
                    Assert.True(Math.Abs((long)a[r][t] - b[r][t]) <= ulps, $"row {r} token {t}: bits {a[r][t]} and {b[r][t]}");
            }
        }
    }

    /// <summary>A budget of two rows of the longest run the probes make (scoring 20 tokens): prompts go 4 rows a run, decoding steps ~18.</summary>
    static long TwoScoringRows(LanguageModel model) => 2 * model.RunBytesPerRow(0, 20) + 100;

    [Fact]
    public void A_tiny_run_budget_splits_the_runs_within_it_and_changes_no_bit_of_the_answers()
    {
        string path = Model();
        using var unbounded = OnnxLanguageModel.Open(path);
        var expected = Probes(unbounded);

        using var bounded = OnnxLanguageModel.Open(path);
        long budget = TwoScoringRows(bounded);
        bounded.RunBudgetBytes = budget;
        int collections = RunGarbage.Collections;
        var got = Probes(bounded);
        // Bounded runs collect their garbage as they go (RunGarbage): many budgets were allocated here.
        Assert.True(RunGarbage.Collections > collections, "no collection after bounded runs");

        AssertClose(expected, got, ulps: 4);
        // ... and bitwise the same as the same bound again: the split depends on the budget and the rows only.
        using var again = OnnxLanguageModel.Open(path);
        again.RunBudgetBytes = budget;
        AssertSame(got, Probes(again));
        // The bound held, and it had something to bound: unbounded runs took over 5x the budget.
        Assert.InRange(bounded.LargestRunBytes, 1, budget);
        Assert.True(unbounded.LargestRunBytes > 5 * budget, $"unbounded largest run {unbounded.LargestRunBytes} B, budget {budget} B");
        Assert.Equal(unbounded.Queries, bounded.Queries);
    }

    [Fact]
    public void The_counted_bytes_of_a_row_are_its_logits_next_row_and_caches_in_and_out()
    {
        using var model = OnnxLanguageModel.Open(Model());
        // 5 positions of float logits + the next-token row; cache [1, 1, history, 3] floats: 4 in, 9 out kept twice (buffer and state).
        long expected = 5L * Vocab * 4 + Vocab * 4 + (4 * 3 + 2 * 9 * 3) * 4;
        Assert.Equal(expected, model.RunBytesPerRow(4, 5));
        model.RunBudgetBytes = 3 * expected;
        Assert.Equal(3, model.RowsPerRun(4, 5));
        model.RunBudgetBytes = 1; // below one row: runs go row by row, never stop
        Assert.Equal(1, model.RowsPerRun(4, 5));
    }

    [Fact]
    public void The_isolated_host_obeys_the_memory_budget_it_is_given_bitwise_as_in_process()
    {
        string path = Model();
        using var inProcess = OnnxLanguageModel.Open(path);
        long memoryBudget = 4 * TwoScoringRows(inProcess);
        inProcess.RunBudgetBytes = RunBudgets.PerRun(memoryBudget);
        var expected = Probes(inProcess);

        using var isolated = IsolatedLanguageModel.Open(path, memoryBudget: memoryBudget);
        var got = Probes(isolated);
        AssertSame(expected, got);
        Assert.InRange(isolated.HostLargestRunBytes, 1, RunBudgets.PerRun(memoryBudget));
        Assert.Equal(inProcess.LargestRunBytes, isolated.HostLargestRunBytes);

        // Without the budget the host's runs are as large as the batches.
        using var unbounded = IsolatedLanguageModel.Open(path);
        Probes(unbounded);
        Assert.True(unbounded.HostLargestRunBytes > 5 * RunBudgets.PerRun(memoryBudget));
    }

    [Fact]
    public void The_host_state_table_takes_the_memory_budget_as_its_bound()
    {
        string path = Model();
        using var isolated = IsolatedLanguageModel.Open(path, memoryBudget: 20_000);
        // 20 prompts' caches of 8 positions (96 B each) and histories fit 20,000 B; 400 rows of 8 do not.
        isolated.Advance(Enumerable.Repeat(isolated.Initial, 20).ToArray(), Prompts);
        var many = Enumerable.Range(0, 400).Select(r => Prompts[r % 20]).ToArray();
        var e = Assert.Throws<MemScanException>(() => isolated.Advance(Enumerable.Repeat(isolated.Initial, many.Length).ToArray(), many));
        Assert.Contains("more than its limit of 0 MiB", e.Message);
    }
}
