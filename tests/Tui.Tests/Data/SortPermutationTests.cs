using System.Collections;
using MemScan.Scanner.Results;
using MemScan.Tui.Data;
using Xunit;

namespace MemScan.Tui.Tests.Data;

/// <summary>
/// The packed-key sort against the plain definition of each order (a LINQ OrderBy chain written
/// from FindingSort's documentation), on generated tables full of ties, NaN, -0 and infinities.
/// </summary>
public class SortPermutationTests
{
    private static readonly double[] Awkward = [double.NaN, 0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, 1, -1, 1e-300, -1e300];

    private static FindingKeys Generate(int rows, int seed)
    {
        var rng = new Random(seed);
        string[] probes = ["a", "b", "exposure", "mia", "zlib"];
        return new FindingKeys(
            Enumerable.Range(0, rows).Select(_ => (Severity)rng.Next(5)).ToArray(),
            Enumerable.Range(0, rows).Select(_ => rng.NextDouble()).ToArray(),
            // few distinct normalized scores, so the later keys of each chain decide often
            Enumerable.Range(0, rows).Select(_ => rng.Next(4) == 0 ? Awkward[rng.Next(Awkward.Length)] : rng.Next(20) / 4.0).ToArray(),
            Enumerable.Range(0, rows).Select(_ => rng.Next(probes.Length)).ToArray(),
            probes);
    }

    // descending score with NaN last and NaN == NaN, -0 == 0: what "highest score first (NaN last)" means
    private static (bool IsNaN, double Negated) ScoreKey(double score) => (double.IsNaN(score), double.IsNaN(score) ? 0 : -score);

    private static int[] Reference(FindingKeys k, FindingsQuery q, BitArray? text)
    {
        IEnumerable<int> rows = Enumerable.Range(0, k.Count)
            .Where(i => k.Severities[i] >= q.MinSeverity)
            .Where(i => q.Probe is null || k.Probes[k.ProbeIndex[i]] == q.Probe)
            .Where(i => text is null || text[i]);
        var score = Comparer<(bool, double)>.Default;
        return (q.Sort switch
        {
            FindingSort.Normalized => rows.OrderBy(i => ScoreKey(k.Normalized[i]), score).ThenByDescending(i => k.Severities[i]),
            FindingSort.Probe => rows.OrderBy(i => k.Probes[k.ProbeIndex[i]], StringComparer.Ordinal)
                .ThenByDescending(i => k.Severities[i]).ThenBy(i => ScoreKey(k.Normalized[i]), score),
            _ => rows.OrderByDescending(i => k.Severities[i]).ThenBy(i => ScoreKey(k.Normalized[i]), score),
        }).ThenBy(i => i).ToArray();
    }

    [Theory]
    [InlineData(0)] // FindingSort.Severity
    [InlineData(1)] // FindingSort.Normalized
    [InlineData(2)] // FindingSort.Probe (FindingSort is internal: a public test method cannot take it)
    public void Each_sort_equals_the_reference_ordering(int sortNumber)
    {
        var sort = (FindingSort)sortNumber;
        FindingKeys keys = Generate(20_000, seed: sortNumber);

        Assert.Equal(Reference(keys, new FindingsQuery { Sort = sort }, null), SortPermutation.Compute(keys, sort));
    }

    [Fact]
    public void Filtering_a_cached_permutation_equals_sorting_the_filtered_rows()
    {
        FindingKeys keys = Generate(5_000, seed: 42);
        var rng = new Random(1);
        var text = new BitArray(Enumerable.Range(0, keys.Count).Select(_ => rng.Next(3) == 0).ToArray());
        foreach (FindingSort sort in Enum.GetValues<FindingSort>())
        {
            int[] sorted = SortPermutation.Compute(keys, sort);
            foreach (FindingsQuery query in new[]
                     {
                         new FindingsQuery { Sort = sort, MinSeverity = Severity.High },
                         new FindingsQuery { Sort = sort, Probe = "mia" },
                         new FindingsQuery { Sort = sort, Probe = "mia", MinSeverity = Severity.Low, Text = "x" },
                         new FindingsQuery { Sort = sort, Text = "x" },
                     })
            {
                BitArray? matches = query.HasText ? text : null;
                Assert.Equal(Reference(keys, query, matches), FindingsOrder.Filter(keys, sorted, query, matches));
                Assert.Equal(Reference(keys, query, matches), FindingsOrder.Apply(keys, query, matches));
            }
        }
    }

    [Fact]
    public void Score_keys_order_scores_descending_with_not_a_number_last()
    {
        double[] descending = [double.PositiveInfinity, 1e300, 1, 1e-300, 0, -1e-300, -1, double.NegativeInfinity];
        ulong[] keys = descending.Select(SortPermutation.ScoreDescendingKey).ToArray();

        Assert.Equal(keys.Order(), keys);
        Assert.Equal(keys.Length, keys.Distinct().Count());
        Assert.True(keys.Max() < SortPermutation.ScoreDescendingKey(double.NaN));
        Assert.Equal(SortPermutation.ScoreDescendingKey(0.0), SortPermutation.ScoreDescendingKey(-0.0));
    }

    [Fact]
    public async Task A_sort_is_computed_once_and_shared()
    {
        var orders = new SortedOrders(Generate(1_000, seed: 3));

        Task<int[]> first = orders.GetAsync(FindingSort.Normalized);
        Assert.Same(first, orders.GetAsync(FindingSort.Normalized));
        await first;
        Assert.True(orders.IsReady(FindingSort.Normalized));
        Assert.False(orders.IsReady(FindingSort.Probe));
    }
}
