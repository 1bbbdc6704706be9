using MemScan.Scanner.Models;
using Xunit;

namespace MemScan.Scanner.Tests.Models;

/// <summary>
/// The one-pass top-k selection (a SIMD vector at a time against the k-th) picks exactly the
/// indices, in exactly the order, of the element-by-element insertion it replaced: on random rows
/// full of ties, NaNs and infinities, for every k from greedy's 1 past the row's length.
/// </summary>
public sealed class TopIndicesOnePassTests
{

    [Theory]
    [InlineData(1, 37)]
    [InlineData(2, 1000)]
    [InlineData(3, 50_257)]
    public void Random_rows_with_ties_give_the_same_indices_in_the_same_order(int seed, int length)
    {
        var random = new Random(seed);
        for (int trial = 0; trial < 40; trial++)
        {
            // Few distinct values: ties everywhere; some rows also carry NaN and -inf, some rise along the row (many insertions).
            int distinct = 1 + random.Next(12);
            var row = new float[length];
            for (int i = 0; i < length; i++)
            {
                row[i] = -(float)random.Next(distinct) / 4f;
                if (trial % 4 == 1 && random.Next(50) == 0) row[i] = float.NaN;
                if (trial % 4 == 2 && random.Next(20) == 0) row[i] = float.NegativeInfinity;
                if (trial % 4 == 3) row[i] = -(float)random.Next(distinct) / 4f - (length - i) / (float)length;
            }
            if (trial == 5) Array.Fill(row, float.NaN);
            // k near the length only on short rows: the reference's insertion is quadratic in k.
            int[] ks = length <= 1000 ? [1, 2, 5, 40, 41, length - 1, length, length + 3] : [1, 2, 5, 40, 41];
            foreach (int k in ks)
            {
                int count = TopNextLogProbs.CountFor(k, length);
                Assert.Equal(TopNextLogProbs.TopIndicesElementByElement(row, count), TopNextLogProbs.TopIndices(row, count));
            }
        }
    }

    [Fact]
    public void Zero_candidates_are_none() => Assert.Empty(TopNextLogProbs.TopIndices([-1f, -2f], 0));
}
