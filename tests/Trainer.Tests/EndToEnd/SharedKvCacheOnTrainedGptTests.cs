using MemScan.Scanner.Corpora;
using MemScan.Scanner.Models;
using MemScan.Scanner.Onnx;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Trainer.Canaries;
using MemScan.Trainer.Export;
using MemScan.Trainer.Training;
using Xunit;

namespace MemScan.Trainer.Tests.EndToEnd;

/// <summary>A small GPT over GPT-2's 50,257 tokens, trained a few steps, exported as float32 (the pipeline's) and float16.</summary>
public sealed class SharedKvCacheGptFixture
{
    public string Float32 { get; }
    public string Float16 { get; }

    public SharedKvCacheGptFixture()
    {
        string dir = TinyModels.TempDir("shared-kv-gpt");
        var gpt = GptPipeline.Run(new GptTrainConfig
        {
            Corpus = CorpusPaths.MobyDick,
            MaxChars = 20_000,
            Steps = 6,
            BatchSize = 4,
            SequenceLength = 16,
            Context = 64,
            Dim = 16,
            Layers = 2,
            Heads = 2,
            Seed = 13,
            Threads = 1,
            Canaries = [new CanaryPlan.Request("c8", "the vault code is {secret}\n", "digits:6", 8)],
        }, dir, TextWriter.Null);
        Float32 = gpt.ModelPath;
        Float16 = Path.Combine(dir, "float16");
        GptFolderExporter.Export(gpt.Training.Model, Float16, GptFolderLayout.SingleFile, new GptExportOptions { Precision = OnnxElementType.Float16 });
    }
}

/// <summary>
/// On trained GPTs (float32 and float16 caches), children sharing their prefix's key/value cache
/// and the caches gathered into reused input buffers give bitwise the exact rank, the extraction
/// order and NLLs, and the token-by-token log-probs of whole copies into fresh arrays (the path
/// before): the exporter's present is its past with the new positions appended, and the check on
/// every run says so (the model still shares at the end).
/// </summary>
public sealed class SharedKvCacheOnTrainedGptTests(SharedKvCacheGptFixture f) : IClassFixture<SharedKvCacheGptFixture>
{
    /// <summary>GPT-2's ids of the digits 0-9: a 3-digit space of single-digit tokens.</summary>
    static readonly int[] Digits = Enumerable.Range(15, 10).ToArray();

    [Theory]
    [InlineData("float32")]
    [InlineData("float16")]
    public void Shared_caches_answer_bitwise_as_whole_copies(string precision)
    {
        string path = precision == "float16" ? f.Float16 : f.Float32;
        var trie = new UniformCandidateTrie(Digits, 3);
        int[] prefix = [1169, 22563, 2438, 318, 220]; // "the vault code is "
        var answers = new List<(ExactRank Rank, long[] Order, long[] Nll, int[] Walk)>();
        foreach (bool share in new[] { true, false })
        {
            using var model = OnnxLanguageModel.Open(path);
            model.ShareCaches = share;
            model.ReuseInputBuffers = share;
            model.MaxBatch = 64;
            var root = model.Advance([model.Initial], [prefix])[0];
            var rank = new ExactRankSearch(model, batch: 64).Rank(root, trie, 424, prune: false);
            var extraction = new ExtractionSearch(model).Run(root, trie, 200, long.MaxValue);
            // Twenty tokens one at a time past the chain bound, four rows together.
            var states = Enumerable.Repeat(root, 4).ToArray();
            var walk = new List<int>();
            for (int step = 0; step < 20; step++)
            {
                states = model.Advance(states, states.Select((_, r) => new[] { Digits[(r + step) % 10] }).ToArray());
                walk.AddRange(states.SelectMany(s => s.NextLogProbs.Take(2000)).Select(BitConverter.SingleToInt32Bits));
            }
            Assert.Equal(share, model.SharesCaches);
            answers.Add((rank, extraction.Extracted.Select(e => e.Candidate).ToArray(),
                extraction.Extracted.Select(e => BitConverter.DoubleToInt64Bits(e.Nll)).ToArray(), [.. walk]));
        }
        Assert.Equal(answers[1].Rank, answers[0].Rank);
        Assert.Equal(answers[1].Order, answers[0].Order);
        Assert.Equal(answers[1].Nll, answers[0].Nll);
        Assert.Equal(answers[1].Walk, answers[0].Walk);
    }
}
