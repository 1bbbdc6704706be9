using MemScan.Scanner.Isolation;
using MemScan.Scanner.Metrics;
using MemScan.Scanner.Models;
using MemScan.Scanner.Probes.Membership;
using MemScan.Scanner.Tests.Models;
using MemScan.Scanner.Tests.Onnx;
using Xunit;

namespace MemScan.Scanner.Tests.Isolation;

/// <summary>
/// MIA's Min-K%++ scoring loop (<see cref="LanguageModel.ScorePositions"/>) run inside the isolated
/// host gives bitwise the log-probs and standardized scores of today's path (every position's whole
/// row read through Advance), in process and through the host token by token, on a stateful
/// char-LSTM and a KV-cached model, sequences of unequal lengths in batches split by MaxBatch;
/// and it is counted as the same model rows.
/// </summary>
public sealed class ScoringLoopThroughHostTests : IDisposable
{
    readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> Models => LoopTestModels.Kinds;

    string Model(string kind) => LoopTestModels.Write(_dir, kind);

    static readonly int[][] Sequences = [[1, 2, 3, 4, 5], [4, 7], [5, 6, 1], [7, 8, 9, 10, 11, 12, 13], [10, 3], [11, 12, 2, 2], [3, 3, 3]];

    /// <summary>Today's scoring: each position's whole next-token row, read from Advance's states token by token.</summary>
    static (long[][] LogProbs, long[][] Standardized) Todays(LanguageModel model)
    {
        var logProbs = Sequences.Select(s => new long[s.Length - 1]).ToArray();
        var standardized = Sequences.Select(s => new long[s.Length - 1]).ToArray();
        for (int i = 0; i < Sequences.Length; i++)
        {
            var state = model.Advance([model.Initial], [new[] { Sequences[i][0] }])[0];
            for (int t = 1; t < Sequences[i].Length; t++)
            {
                var row = state.NextLogProbs;
                logProbs[i][t - 1] = BitConverter.SingleToInt32Bits(row[Sequences[i][t]]);
                standardized[i][t - 1] = BitConverter.DoubleToInt64Bits(MinKPlusPlus.TokenScores([row], [Sequences[i][t]])[0]);
                if (t + 1 < Sequences[i].Length) state = model.Advance([state], [new[] { Sequences[i][t] }])[0];
            }
        }
        return (logProbs, standardized);
    }

    static (long[][] LogProbs, long[][] Standardized) Bits(PositionScores[] scores) =>
        (scores.Select(s => s.LogProbs.Select(v => (long)BitConverter.SingleToInt32Bits(v)).ToArray()).ToArray(),
         scores.Select(s => s.Standardized.Select(BitConverter.DoubleToInt64Bits).ToArray()).ToArray());

    [Theory]
    [MemberData(nameof(Models))]
    public void The_loop_in_the_host_equals_todays_scoring_bitwise_and_counts_the_same_rows(string kind)
    {
        string path = Model(kind);
        using var inProcess = OnnxLanguageModel.Open(path);
        var (wantLogProbs, wantStandardized) = Todays(inProcess);
        inProcess.MaxBatch = 3;
        using var perRow = IsolatedLanguageModel.Open(path);
        perRow.HostLoops = false;
        perRow.MaxBatch = 3;
        using var loop = IsolatedLanguageModel.Open(path);
        loop.MaxBatch = 3;
        long expectedRows = Sequences.Sum(s => s.Length - 1L);
        foreach (var model in new LanguageModel[] { inProcess, perRow, loop })
        {
            long queries = model.Queries;
            var (logProbs, standardized) = Bits(model.ScorePositions(Sequences));
            Assert.Equal(wantLogProbs, logProbs);
            Assert.Equal(wantStandardized, standardized);
            Assert.Equal(expectedRows, model.Queries - queries);
        }
        // The MIA statistics built on them, too.
        var expected = SequenceScorer.Full(inProcess, Sequences, 0.2);
        Assert.Equal(expected, SequenceScorer.Full(loop, Sequences, 0.2));
    }

    [Fact]
    public void A_sequence_too_short_to_score_is_refused_before_the_host_is_asked()
    {
        using var loop = IsolatedLanguageModel.Open(Model("kv-cache"));
        var e = Assert.Throws<ArgumentException>(() => loop.ScorePositions([[1, 2], [3]]));
        Assert.Contains("sequence 1 has 1 token(s)", e.Message);
        Assert.Equal(2, loop.ScorePositions([[1, 2], [3, 4, 5]])[1].LogProbs.Length); // and the host still answers
    }
}
