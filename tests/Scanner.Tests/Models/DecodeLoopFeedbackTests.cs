using MemScan.Scanner.Isolation;
using MemScan.Scanner.Models;
using MemScan.Scanner.Sweeps;
using MemScan.Scanner.Tests.Onnx;
using Xunit;

namespace MemScan.Scanner.Tests.Models;

/// <summary>
/// The ONNX decoding loop that feeds each run's presents back as the next run's past
/// (<see cref="OnnxLanguageModel.FeedPresentsBack"/>) gives bitwise the tokens and log-probs of the
/// per-token loop, runs in row chunks that keep its counted bytes within the run budget with the
/// tokens of the unchunked loop (log-probs to the last bits, as any smaller batch), and leaves to the per-token loop what it cannot run.
/// </summary>
public sealed class DecodeLoopFeedbackTests : IDisposable
{
    const int Vocab = 23;
    readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    string Model(string kind) => kind == "lstm"
        ? Sweeps.TinyLstmOnnxModel.Write(_dir.File("lstm.onnx"), vocab: Vocab)
        : CacheSumOnnxModel.Write(_dir.File("kv.onnx"), vocab: Vocab, staticBatch: kind == "static-batch-1");

    static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();

    /// <summary>
    /// Rows of mixed histories and feed lengths (two start from a state already advanced), so the
    /// loop runs several groups; greedy, top-4 and full-row sampling.
    /// </summary>
    static DecodeRequest[] Requests(LanguageModel model)
    {
        var advanced = model.Advance([model.Initial, model.Initial], [[1, 2], [3, 4]]);
        LmState[] states = [model.Initial, model.Initial, model.Initial, advanced[0], model.Initial, advanced[1], model.Initial];
        int[][] feed = [[1, 2, 3], [4], [5, 6, 7], [8], [9, 10, 11], [12], [13]];
        long[] indices = [5, 9, 2, 7, 11, 0, 3];
        return
        [
            new DecodeRequest(states, feed, 12),
            new DecodeRequest(states, feed, 12, new DecodeSampling(3, indices, new TemperatureSchedule(1.0, 4.0, 6), TopK: 4)),
            new DecodeRequest(states, feed, 12, new DecodeSampling(4, indices, new TemperatureSchedule(0.7), TopK: 0)),
        ];
    }

    static (int[][] Tokens, int[][] LogProbBits) Answer(LanguageModel model, DecodeRequest request)
    {
        var result = model.Decode(request);
        return (result.Tokens, result.LogProbs.Select(Bits).ToArray());
    }

    [Theory]
    [InlineData("kv-cache")]
    [InlineData("lstm")]
    public void Feeding_presents_back_equals_the_per_token_loop_bitwise(string kind)
    {
        using var model = OnnxLanguageModel.Open(Model(kind));
        model.MaxBatch = 2;
        foreach (var request in Requests(model))
        {
            model.FeedPresentsBack = false;
            long queries = model.Queries, evaluated = model.TokensEvaluated;
            var perToken = Answer(model, request);
            long perTokenQueries = model.Queries - queries, perTokenEvaluated = model.TokensEvaluated - evaluated;
            model.FeedPresentsBack = true;
            long rowsBefore = model.FedBackRows;
            queries = model.Queries;
            evaluated = model.TokensEvaluated;
            var loop = Answer(model, request);
            Assert.Equal(perToken.Tokens, loop.Tokens);
            Assert.Equal(perToken.LogProbBits, loop.LogProbBits);
            // Every row went through the loop, counted as the per-token calls it stands for.
            Assert.Equal(request.States.Count, model.FedBackRows - rowsBefore);
            Assert.Equal(perTokenQueries, model.Queries - queries);
            Assert.Equal(perTokenEvaluated, model.TokensEvaluated - evaluated);
        }
        // The draws differ between rows: a loop that mixed up rows or sample indices would be seen.
        Assert.True(Answer(model, Requests(model)[1]).Tokens.Select(t => string.Join(",", t)).Distinct().Count() > 3);
    }

    [Theory]
    [InlineData("kv-cache")]
    [InlineData("lstm")]
    public void A_small_run_budget_decodes_in_chunks_within_it_with_the_unchunked_answers(string kind)
    {
        string path = Model(kind);
        using var unbounded = OnnxLanguageModel.Open(path);
        using var bounded = OnnxLanguageModel.Open(path);
        var requests = Requests(unbounded);
        // Room for two rows after the first step (3 tokens, 11 more runs), not three.
        long perRow = bounded.DecodeLoopBytesPerRow(3, 11);
        bounded.RunBudgetBytes = 2 * perRow + perRow / 2;
        foreach (var request in requests)
        {
            long chunksBefore = unbounded.FedBackChunks;
            var whole = Answer(unbounded, request);
            Assert.True(unbounded.FedBackChunks - chunksBefore <= 3, "unbounded: one chunk per group");
            chunksBefore = bounded.FedBackChunks;
            var chunked = Answer(bounded, new DecodeRequest(request.States, request.Feed, request.Tokens, request.Sampling));
            Assert.Equal(whole.Tokens, chunked.Tokens);
            // Smaller batches may move the last bits (ONNX Runtime's kernels differ by batch size, as --batch does), no more.
            for (int r = 0; r < whole.LogProbBits.Length; r++)
                for (int t = 0; t < whole.LogProbBits[r].Length; t++)
                    Assert.Equal(BitConverter.Int32BitsToSingle(whole.LogProbBits[r][t]), BitConverter.Int32BitsToSingle(chunked.LogProbBits[r][t]), 1e-5f);
            // Groups of 3 (history 0, 3 fed), 2 and 2 rows: at most two rows a chunk makes at least 4 chunks.
            Assert.True(bounded.FedBackChunks - chunksBefore >= 4, $"{bounded.FedBackChunks - chunksBefore} chunks");
        }
        Assert.InRange(bounded.LargestRunBytes, perRow, bounded.RunBudgetBytes);
        Assert.True(unbounded.LargestRunBytes > bounded.RunBudgetBytes, "the unbounded loop would not have fit");
    }

    [Fact]
    public void A_static_batch_graph_goes_token_by_token_with_the_same_tokens()
    {
        using var fixedBatch = OnnxLanguageModel.Open(Model("static-batch-1"));
        using var dynamic = OnnxLanguageModel.Open(Model("kv-cache"));
        var request = Requests(dynamic)[1];
        Assert.Equal(Answer(dynamic, request).Tokens, Answer(fixedBatch, new DecodeRequest(
            request.States, request.Feed, request.Tokens, request.Sampling)).Tokens);
        Assert.Equal(0, fixedBatch.FedBackRows);
    }

    [Fact]
    public void The_isolated_host_runs_the_same_loop()
    {
        string path = Model("kv-cache");
        using var inProcess = OnnxLanguageModel.Open(path);
        inProcess.FeedPresentsBack = false;
        using var isolated = IsolatedLanguageModel.Open(path);
        int[][] prompts = [[1, 2, 3], [4, 5, 6], [7], [8, 9, 10]];
        var sampling = new DecodeSampling(8, [0, 1, 2, 3], new TemperatureSchedule(1.0), TopK: 5);
        var expected = Answer(inProcess, new DecodeRequest(Enumerable.Repeat(inProcess.Initial, 4).ToArray(), prompts, 10, sampling));
        var hosted = Answer(isolated, new DecodeRequest(Enumerable.Repeat(isolated.Initial, 4).ToArray(), prompts, 10, sampling));
        Assert.Equal(expected.Tokens, hosted.Tokens);
        Assert.Equal(expected.LogProbBits, hosted.LogProbBits);
    }
}
