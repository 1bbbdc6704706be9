using MemScan.Scanner.Isolation;
using MemScan.Scanner.Models;
using MemScan.Scanner.Sweeps;
using MemScan.Scanner.Tests.Models;
using MemScan.Scanner.Tests.Onnx;
using MemScan.Scanner.Tokenizers;
using Xunit;

namespace MemScan.Scanner.Tests.Isolation;

/// <summary>
/// Whole decoding loops (<see cref="LanguageModel.Decode"/>) give bitwise the tokens and log-probs
/// of today's per-token decoders, in process, through the isolated host token by token (the old
/// path, <see cref="IsolatedLanguageModel.HostLoops"/> off) and with the loop run in the host: on
/// a stateful char-LSTM and a KV-cached GPT-style model, greedy and top-k, batches split by MaxBatch.
/// </summary>
public sealed class DecodeLoopThroughHostTests : IDisposable
{
    readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> Models => LoopTestModels.Kinds;

    string Model(string kind) => LoopTestModels.Write(_dir, kind);

    /// <summary>In process, isolated token by token, isolated with the loop in the host: each with MaxBatch 3 (batches split).</summary>
    static IEnumerable<(string Where, LanguageModel Model)> Paths(OnnxLanguageModel inProcess, string path)
    {
        inProcess.MaxBatch = 3;
        yield return ("in-process", inProcess);
        using var perToken = IsolatedLanguageModel.Open(path);
        perToken.HostLoops = false;
        perToken.MaxBatch = 3;
        yield return ("isolated per token", perToken);
        using var loop = IsolatedLanguageModel.Open(path);
        loop.MaxBatch = 3;
        yield return ("isolated loop", loop);
    }

    static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();

    [Theory]
    [MemberData(nameof(Models))]
    public void Greedy_loops_equal_todays_per_token_greedy_decoding_bitwise(string kind)
    {
        string path = Model(kind);
        // Prompts of different lengths: rows are grouped by history, as Advance groups them.
        int[][] prompts = [[1, 2, 3], [4], [5, 6], [7, 8, 9], [10], [11, 12], [3, 3, 3]];
        using var inProcess = OnnxLanguageModel.Open(path);
        inProcess.MaxBatch = 3;
        var expected = TodaysPerTokenDecoders.Greedy(inProcess, prompts, 9);
        // Each generated token's log-prob as the full rows have it, fed token by token in the same batches.
        var states = inProcess.Advance(Enumerable.Repeat(inProcess.Initial, prompts.Length).ToArray(), prompts);
        var expectedLogProbs = prompts.Select(_ => new int[9]).ToArray();
        for (int t = 0; t < 9; t++)
        {
            for (int r = 0; r < prompts.Length; r++) expectedLogProbs[r][t] = BitConverter.SingleToInt32Bits(states[r].NextLogProbs[expected[r][t]]);
            states = inProcess.Advance(states, expected.Select(row => new[] { row[t] }).ToArray());
        }
        foreach (var (_, model) in Paths(inProcess, path))
        {
            long queries = model.Queries;
            var result = model.Decode(new DecodeRequest(Enumerable.Repeat(model.Initial, prompts.Length).ToArray(), prompts, 9));
            Assert.Equal(expected, result.Tokens);
            Assert.Equal(expected, GreedyDecoding.Decode(model, prompts, 9));
            Assert.Equal(expectedLogProbs, result.LogProbs.Select(Bits).ToArray());
            // Counted as the per-token calls it stands for: 9 rows-runs per prompt, twice.
            Assert.Equal(2L * 9 * prompts.Length, model.Queries - queries);
        }
    }

    [Theory]
    [InlineData("lstm", 5, 1.0, null)]
    [InlineData("lstm", 0, 0.8, null)]
    [InlineData("kv-cache", 4, 1.0, 10.0)]
    [InlineData("kv-cache", 1, 1.0, null)]
    public void Sampled_loops_equal_todays_per_token_sweep_bitwise(string kind, int topK, double temperature, double? start)
    {
        string path = Model(kind);
        var settings = new SweepSettings
        {
            Tokens = 12, TopK = topK, Seed = 7,
            Temperature = new TemperatureSchedule(temperature, start, start is null ? 0 : 5),
        };
        var prompts = PromptSource.Start("ab", CharTokenizer.Create("\0abcdefghijklmnopqrstuvwxyz"));
        using var inProcess = OnnxLanguageModel.Open(path);
        inProcess.MaxBatch = 3;
        var (tokens, logProbs) = TodaysPerTokenDecoders.Sweep(inProcess, prompts, settings, firstIndex: 5, count: 7);
        foreach (var (_, model) in Paths(inProcess, path))
        {
            var samples = new SweepGenerator(model, prompts, settings).Generate(5, 7);
            for (int r = 0; r < samples.Count; r++)
            {
                Assert.Equal(tokens[r], samples[r].Tokens);
                Assert.Equal(Bits(logProbs[r]), Bits(samples[r].LogProbs));
            }
        }
    }

    [Fact]
    public void The_loop_through_the_host_leaves_no_state_behind_and_keeps_the_context_check()
    {
        string path = PositionTableOnnxModel.Write(_dir.File("pos.onnx"), vocab: 11, context: 6);
        using var isolated = IsolatedLanguageModel.Open(path);
        var result = isolated.Decode(new DecodeRequest([isolated.Initial, isolated.Initial], [[1, 2], [3]], 3));
        Assert.Equal(2, result.Tokens.Length);
        Assert.Equal(0, isolated.LiveStates);
        // 2 + 4 tokens fit the 6, 2 + 5 do not: the host's own check, passed on as one clear error.
        var e = Assert.Throws<MemScanException>(() => isolated.Decode(new DecodeRequest([isolated.Initial], [[1, 2]], 6)));
        Assert.Contains("exceed the model's context of 6 tokens", e.Message);
        // ... and the model stays usable.
        Assert.Equal(result.Tokens, isolated.Decode(new DecodeRequest([isolated.Initial, isolated.Initial], [[1, 2], [3]], 3)).Tokens);
    }
}
