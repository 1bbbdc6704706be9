using MemScan.Scanner.Models;
using MemScan.Scanner.Sweeps;
using Xunit;

namespace MemScan.Scanner.Tests.Models;

/// <summary>
/// The top-k answer must pick exactly what greedy decoding's arg-max and the sampler's cut picked
/// over full rows (ties to the lower id), and its checker must accept everything the picker makes
/// and refuse what a hostile host could send instead.
/// </summary>
public sealed class TopNextLogProbsTests
{
    /// <summary>Greedy decoding's arg-max before top-k answers: the first maximum.</summary>
    static int FirstMaximum(float[] values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    public static TheoryData<float[]> Rows => new()
    {
        new[] { -3f, -1f, -2f, -1f, -5f },
        new[] { -1f, -1f, -1f, -1f },
        new[] { float.NegativeInfinity, -2f, float.NegativeInfinity, -2f, -0.5f, -0.5f },
        new[] { float.NaN, float.NaN, float.NaN },
        new[] { -7f },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Top_one_is_the_first_maximum_and_every_pick_passes_the_check(float[] row)
    {
        Assert.Equal(FirstMaximum(row), TopNextLogProbs.Pick(row, 1).Tokens[0]);
        for (int k = 1; k <= row.Length + 2; k++)
        {
            var top = TopNextLogProbs.Pick(row, k);
            Assert.Equal(Math.Min(k, row.Length), top.Tokens.Length);
            Assert.Null(TopNextLogProbs.Violation(top.Tokens, top.LogProbs, k, row.Length));
            for (int i = 0; i < top.Tokens.Length; i++)
                Assert.Equal(BitConverter.SingleToInt32Bits(row[top.Tokens[i]]), BitConverter.SingleToInt32Bits(top.LogProbs[i]));
        }
    }

    [Fact]
    public void Ties_go_to_the_lower_id_inside_the_list_and_at_its_cut()
    {
        float[] row = [-2f, -1f, -2f, -1f, -2f];
        Assert.Equal([1, 3, 0], TopNextLogProbs.Pick(row, 3).Tokens);
    }

    [Fact]
    public void Sampling_from_the_top_k_answer_draws_what_sampling_from_the_full_row_draws()
    {
        var random = new Random(5);
        for (int trial = 0; trial < 200; trial++)
        {
            var logits = Enumerable.Range(0, 300).Select(_ => (float)Math.Round(random.NextDouble() * 6, 1)).ToArray();
            var row = new float[logits.Length];
            LanguageModel.LogSoftmax(logits, row);
            int k = 1 + trial % 50;
            double temperature = 0.3 + trial % 7 * 0.4, u = random.NextDouble();
            Assert.Equal(TopKSampler.Sample(row, k, temperature, u), TopKSampler.Sample(TopNextLogProbs.Pick(row, k), temperature, u));
        }
    }

    [Theory]
    [InlineData(new[] { 1, 0 }, new[] { -1f, -2f }, 3, "2 token ids and 2 log-probs where 3 were expected")]
    [InlineData(new[] { 1, 4 }, new[] { -1f, -2f }, 2, "token id 4 is outside the vocabulary of 4")]
    [InlineData(new[] { 1, -1 }, new[] { -1f, -2f }, 2, "token id -1 is outside")]
    [InlineData(new[] { 2, 2 }, new[] { -1f, -2f }, 2, "token id 2 appears twice")]
    [InlineData(new[] { 1, 0 }, new[] { -2f, -1f }, 2, "entry 1 (token 0, -1) is more likely than entry 0")]
    [InlineData(new[] { 3, 1 }, new[] { -1f, -1f }, 2, "entries 0 and 1 tie but token 1 comes after 3")]
    public void Answers_that_break_the_promise_are_named(int[] tokens, float[] logProbs, int k, string expected)
    {
        Assert.Contains(expected, TopNextLogProbs.Violation(tokens, logProbs, k, vocab: 4));
    }

    [Fact]
    public void A_request_for_fewer_than_one_top_token_is_refused()
    {
        using var model = new HashedLanguageModel(8);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Advance([model.Initial], [[1]], topNext: 0));
    }
}
