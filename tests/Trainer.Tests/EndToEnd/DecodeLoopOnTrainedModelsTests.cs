using MemScan.Scanner.Corpora;
using MemScan.Scanner.Isolation;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Models;
using MemScan.Scanner.Scanning;
using MemScan.Scanner.Sweeps;
using MemScan.Scanner.Tests.Models;
using MemScan.Trainer.Canaries;
using MemScan.Trainer.Training;
using Xunit;

namespace MemScan.Trainer.Tests.EndToEnd;

/// <summary>Two small trained models, exported as the Trainer exports them: a GPT over GPT-2's 50,257 tokens and a char-LSTM.</summary>
public sealed class TrainedDecodersFixture
{
    public (string Model, ModelManifest Manifest) Gpt { get; }
    public (string Model, ModelManifest Manifest) Lstm { get; }

    public TrainedDecodersFixture()
    {
        var gpt = GptPipeline.Run(new GptTrainConfig
        {
            Corpus = CorpusPaths.MobyDick,
            MaxChars = 20_000,
            Steps = 6,
            BatchSize = 4,
            SequenceLength = 16,
            Context = 64,
            Dim = 16,
            Layers = 1,
            Heads = 2,
            Seed = 11,
            Threads = 1,
            Canaries = [new CanaryPlan.Request("c8", "the vault code is {secret}\n", "digits:6", 8)],
        }, TinyModels.TempDir("decode-gpt"), TextWriter.Null);
        Gpt = (gpt.ModelPath, gpt.Manifest);
        var lstm = LmPipeline.Run(TinyModels.Config(steps: 30, hidden: 24), TinyModels.TempDir("decode-lstm"), TextWriter.Null);
        Lstm = (lstm.ModelPath, lstm.Manifest);
    }
}

/// <summary>
/// On trained models, the whole decoding loops give bitwise the tokens and log-probs of today's
/// per-token decoders: in process, and with the loop run in the isolated model host. (The per-token
/// path through the host is held equal on ONNX fixtures in the Scanner's DecodeLoopThroughHostTests.)
/// </summary>
public sealed class DecodeLoopOnTrainedModelsTests(TrainedDecodersFixture f) : IClassFixture<TrainedDecodersFixture>
{
    (string Model, ModelManifest Manifest) Trained(string kind) => kind == "gpt" ? f.Gpt : f.Lstm;

    static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();

    [Theory]
    [InlineData("gpt")]
    [InlineData("lstm")]
    public void Greedy_decoding_in_one_loop_equals_todays_per_token_path_in_process_and_isolated(string kind)
    {
        var (path, manifest) = Trained(kind);
        var tokenizer = TokenizerSelection.For(manifest, path, null);
        int[][] prompts = new[] { "the whale", "Call me", "It was the", "a", "and then the ship" }
            .Select(p => tokenizer.Encode(p)).ToArray();
        using var inProcess = OnnxLanguageModel.Open(path, manifest.Io);
        using var isolated = IsolatedLanguageModel.Open(path, manifest.Io);
        var expected = TodaysPerTokenDecoders.Greedy(inProcess, prompts, 20);
        var loop = inProcess.Decode(new DecodeRequest(Enumerable.Repeat(inProcess.Initial, prompts.Length).ToArray(), prompts, 20));
        var hosted = isolated.Decode(new DecodeRequest(Enumerable.Repeat(isolated.Initial, prompts.Length).ToArray(), prompts, 20));
        Assert.Equal(expected, loop.Tokens);
        Assert.Equal(expected, hosted.Tokens);
        Assert.Equal(loop.LogProbs.Select(Bits), hosted.LogProbs.Select(Bits));
        Assert.All(loop.LogProbs.SelectMany(row => row), lp => Assert.True(lp <= 0));
    }

    [Theory]
    [InlineData("gpt", 40)]
    [InlineData("lstm", 40)]
    [InlineData("lstm", 0)]
    public void Top_k_sweeps_in_one_loop_equal_todays_per_token_path_in_process_and_isolated(string kind, int topK)
    {
        var (path, manifest) = Trained(kind);
        var tokenizer = TokenizerSelection.For(manifest, path, null);
        var settings = new SweepSettings { Tokens = 24, TopK = topK, Seed = 5, Temperature = new TemperatureSchedule(1.0, 3.0, 8) };
        var prompts = PromptSource.Start("The ", tokenizer);
        using var inProcess = OnnxLanguageModel.Open(path, manifest.Io);
        using var isolated = IsolatedLanguageModel.Open(path, manifest.Io);
        var (tokens, logProbs) = TodaysPerTokenDecoders.Sweep(inProcess, prompts, settings, firstIndex: 100, count: 6);
        foreach (LanguageModel model in new LanguageModel[] { inProcess, isolated })
        {
            var samples = new SweepGenerator(model, prompts, settings).Generate(100, 6);
            Assert.Equal(tokens, samples.Select(s => s.Tokens));
            Assert.Equal(logProbs.Select(Bits), samples.Select(s => Bits(s.LogProbs)));
        }
        // The draws differ between samples (the test would not see a loop that ignored the sample index).
        Assert.True(tokens.Select(t => string.Join(",", t)).Distinct().Count() > 1);
    }
}
