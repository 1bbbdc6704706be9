using MemScan.Scanner.Isolation;
using MemScan.Scanner.Models;
using Xunit;

namespace MemScan.Scanner.Tests.Isolation;

/// <summary>
/// A decoding loop run in the host comes back as tokens and log-probs the scanner cannot recompute;
/// what it can check it does: a fake host answering the wrong counts, tokens outside the vocabulary
/// or log-probs above 0 is one clear error, after which the model refuses further work.
/// </summary>
public sealed class HostileDecodeHostTests
{
    const int Vocab = 4;

    /// <summary>A host that announces a 4-token model, then answers one decoding loop with these rows.</summary>
    static IsolatedLanguageModel FakeHost(params (int[] Tokens, float[] LogProbs)[] rows) =>
        HostileHostTests.FakeHost(f =>
        {
            f.WriteInt((int)HostMessage.Result);
            f.WriteLong(64);
            f.WriteLong(0); // largest run
            foreach (var (tokens, logProbs) in rows)
            {
                f.WriteInts(tokens);
                f.WriteFloats(logProbs);
            }
        });

    static DecodeRequest Greedy(LanguageModel model, int rows, int tokens) =>
        new(Enumerable.Repeat(model.Initial, rows).ToArray(), Enumerable.Repeat(new[] { 1, 2 }, rows).ToArray(), tokens);

    static void Refused(IsolatedLanguageModel model, DecodeRequest request, string expected)
    {
        var e = Assert.Throws<MemScanException>(() => model.Decode(request));
        Assert.Contains("fake.onnx", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.Contains("corrupt or hostile", e.Message);
        Assert.Equal(e.Message, Assert.Throws<MemScanException>(() => model.Decode(request)).Message);
    }

    [Fact]
    public void A_well_behaved_answer_is_understood()
    {
        using var model = FakeHost(([3, 0, 0], [-0.1f, -2f, float.NegativeInfinity]), ([1, 1, 2], [float.NaN, -1f, 0f]));
        var result = model.Decode(Greedy(model, 2, 3));
        Assert.Equal([[3, 0, 0], [1, 1, 2]], result.Tokens);
        Assert.Equal(-2f, result.LogProbs[0][1]);
        Assert.Equal(6, model.Queries);
    }

    [Theory]
    [InlineData(new[] { 3, 0 }, new[] { -1f, -1f, -1f }, "decoded tokens of row 0: 2 values where 3 were expected")]
    [InlineData(new[] { 3, 0, 1 }, new[] { -1f, -1f }, "decoded log-probs of row 0: 2 values where 3 were expected")]
    [InlineData(new[] { 3, 4, 1 }, new[] { -1f, -1f, -1f }, "decoded token 1 of row 0 is 4, outside the vocabulary of 4")]
    [InlineData(new[] { 3, 0, -1 }, new[] { -1f, -1f, -1f }, "decoded token 2 of row 0 is -1, outside the vocabulary of 4")]
    [InlineData(new[] { 3, 0, 1 }, new[] { -1f, 0.5f, -1f }, "decoded token 1 of row 0 has log-prob 0.5, above 0")]
    public void Wrong_counts_tokens_outside_the_vocabulary_and_positive_log_probs_are_refused(int[] tokens, float[] logProbs, string expected)
    {
        using var model = FakeHost((tokens, logProbs));
        Refused(model, Greedy(model, 1, 3), expected);
    }

    [Fact]
    public void An_answer_for_fewer_rows_than_asked_is_refused()
    {
        using var model = FakeHost(([3, 0, 1], [-1f, -1f, -1f]));
        var e = Assert.Throws<MemScanException>(() => model.Decode(Greedy(model, 2, 3)));
        Assert.Contains("went away", e.Message);
    }
}
