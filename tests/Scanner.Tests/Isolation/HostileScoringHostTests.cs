using MemScan.Scanner.Isolation;
using Xunit;

namespace MemScan.Scanner.Tests.Isolation;

/// <summary>
/// A scoring loop run in the host comes back as numbers the scanner cannot recompute; what it can
/// check it does: wrong counts or a log-prob above 0 is one clear error, after which the model
/// refuses further work.
/// </summary>
public sealed class HostileScoringHostTests
{
    /// <summary>A host that announces a 4-token model, then answers one scoring loop with these positions.</summary>
    static IsolatedLanguageModel FakeHost(params (float[] LogProbs, double[] Standardized)[] sequences) =>
        HostileHostTests.FakeHost(f =>
        {
            f.WriteInt((int)HostMessage.Result);
            f.WriteLong(64);
            f.WriteLong(0); // largest run
            foreach (var (logProbs, standardized) in sequences)
            {
                f.WriteFloats(logProbs);
                f.WriteLongs(standardized.Select(BitConverter.DoubleToInt64Bits).ToArray());
            }
        });

    static readonly int[][] TwoSequences = [[1, 2, 3], [0, 1]];

    [Fact]
    public void A_well_behaved_answer_is_understood()
    {
        using var model = FakeHost(([-0.5f, float.NaN], [-1.25, double.NaN]), ([-3f], [0.75]));
        var scores = model.ScorePositions(TwoSequences);
        Assert.Equal(-0.5f, scores[0].LogProbs[0]);
        Assert.Equal(-1.25, scores[0].Standardized[0]);
        Assert.Equal(0.75, scores[1].Standardized[0]);
        Assert.Equal(3, model.Queries);
    }

    [Theory]
    [InlineData(new[] { -1f }, new[] { -1.0, -1.0 }, "log-probs of sequence 0: 1 values where 2 were expected")]
    [InlineData(new[] { -1f, -1f }, new[] { -1.0 }, "Min-K%++ scores of sequence 0: 1 values where 2 were expected")]
    [InlineData(new[] { -1f, 0.5f }, new[] { -1.0, -1.0 }, "position 2 of sequence 0 has log-prob 0.5, above 0")]
    public void Wrong_counts_and_positive_log_probs_are_refused(float[] logProbs, double[] standardized, string expected)
    {
        using var model = FakeHost((logProbs, standardized), ([-1f], [0.0]));
        var e = Assert.Throws<MemScanException>(() => model.ScorePositions(TwoSequences));
        Assert.Contains("fake.onnx", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.Contains("corrupt or hostile", e.Message);
        Assert.Equal(e.Message, Assert.Throws<MemScanException>(() => model.ScorePositions(TwoSequences)).Message);
    }
}
