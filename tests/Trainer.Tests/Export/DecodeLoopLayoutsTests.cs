using MemScan.Scanner.Isolation;
using MemScan.Scanner.Models;
using MemScan.Scanner.Sweeps;
using MemScan.Trainer.Models;
using MemScan.Trainer.Tests.EndToEnd;
using Xunit;

namespace MemScan.Trainer.Tests.Export;

/// <summary>
/// The Trainer's GPT in the layouts third-party decoders come in (float16 and bfloat16 caches, the
/// merged decoder, the decoder pair whose first step has no past): the decoding loop that feeds
/// presents back (<see cref="OnnxLanguageModel.FeedPresentsBack"/>) gives bitwise the tokens and
/// log-probs of the per-token loop, greedy and sampled, in process and in the isolated host.
/// </summary>
public sealed class DecodeLoopLayoutsTests
{
    static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();

    [Theory]
    [InlineData("plain")]
    [InlineData("float16")]
    [InlineData("bfloat16")]
    [InlineData("merged-float16")]
    [InlineData("pair")]
    public void Feeding_presents_back_equals_the_per_token_loop_bitwise(string layout)
    {
        var shape = new GptShape(Vocab: 53, Context: 32, Dim: 16, Layers: 2, Heads: 2);
        using var gpt = GptLayoutTests.WideRandomGpt(shape, 13);
        string dir = TinyModels.TempDir("decode-loop-" + layout);
        GptLayoutTests.ExportLayout(gpt, layout, dir);
        using var model = OnnxLanguageModel.Open(dir);
        model.MaxBatch = 3;
        int[][] prompts = [[1, 2, 3], [4], [5, 6, 7], [8, 9], [10, 11, 12], [13], [14, 15, 16, 17]];
        var initial = Enumerable.Repeat(model.Initial, prompts.Length).ToArray();
        long[] indices = [4, 8, 15, 16, 23, 42, 0];
        DecodeRequest[] requests =
        [
            new(initial, prompts, 14),
            new(initial, prompts, 14, new DecodeSampling(6, indices, new TemperatureSchedule(1.0, 5.0, 6), TopK: 5)),
            new(initial, prompts, 14, new DecodeSampling(7, indices, new TemperatureSchedule(1.0), TopK: 0)),
        ];
        using var isolated = IsolatedLanguageModel.Open(dir);
        isolated.MaxBatch = 3;
        foreach (var request in requests)
        {
            model.FeedPresentsBack = false;
            var perToken = model.Decode(request);
            model.FeedPresentsBack = true;
            long rows = model.FedBackRows;
            var loop = model.Decode(request);
            Assert.Equal(prompts.Length, model.FedBackRows - rows);
            var hosted = isolated.Decode(request with { States = Enumerable.Repeat(isolated.Initial, prompts.Length).ToArray() });
            Assert.Equal(perToken.Tokens, loop.Tokens);
            Assert.Equal(perToken.LogProbs.Select(Bits), loop.LogProbs.Select(Bits));
            Assert.Equal(perToken.Tokens, hosted.Tokens);
            Assert.Equal(perToken.LogProbs.Select(Bits), hosted.LogProbs.Select(Bits));
            Assert.True(loop.Tokens.Select(t => string.Join(",", t)).Distinct().Count() > 3, "rows decode differently");
        }
    }
}
