using MemScan.Scanner.Corpora;
using MemScan.Scanner.Similarity;
using MemScan.Trainer.Training;
using Xunit;

namespace MemScan.Trainer.Tests.Studies;

/// <summary>
/// Two tiny GPTs trained on the same Moby-Dick text with different seeds, and a third one that
/// never moved from its random initialization (one step at a learning rate of 1e-12): memscan
/// compare on their hidden states over held-out Moby-Dick text (chapter 100), one row per token of 8 windows of 32 tokens, through the same
/// code as the CLI.
/// </summary>
public sealed class LmSimilarityRuns
{
    /// <summary>corpora/configs/gpt-similarity.json, on one thread.</summary>
    public static readonly GptTrainConfig Gpt = GptTrainConfig.Load(Training.LmConfigPresetTests.Preset("gpt-similarity.json")) with { Threads = 1 };

    readonly string _root = TinyModels.TempDir("study-lm-similarity");
    readonly Lazy<CompareResult> _three, _self;

    public LmSimilarityRuns()
    {
        _three = new(() => Compare("three", [Train("gpt-1", Gpt), Train("gpt-2", Gpt with { Seed = 2 }), Train("gpt-random", Gpt with { Seed = 3, Steps = 1, LearningRate = 1e-12 })]));
        _self = new(() => Compare("self", [Gpt1(), Gpt1()]));
    }

    /// <summary>gpt-1, gpt-2 (another seed) and gpt-random, every layer pair.</summary>
    public CompareResult Three => _three.Value;
    /// <summary>gpt-1 with itself (named model1 and model2).</summary>
    public CompareResult Self => _self.Value;

    /// <summary>gpt-1's model, trained by <see cref="Three"/> (which it forces first).</summary>
    string Gpt1() => Three.TablePath.Length > 0 ? Path.Combine(_root, "gpt-1", "model.onnx") : throw new InvalidOperationException();

    /// <summary>Moby-Dick's chapter 100, far past the 30,000 characters the GPTs trained on: held-out prose.</summary>
    static string ProbeText() => Path.Combine(CorpusPaths.For(CorpusPaths.MobyDick), "chapter_100.txt");

    string Train(string name, GptTrainConfig config) => GptPipeline.Run(config, Path.Combine(_root, name), TextWriter.Null).ModelPath;

    CompareResult Compare(string name, IReadOnlyList<string> models) => CompareRun.Run(new ComparePlan
    {
        Models = models, OutDir = Path.Combine(_root, "compare-" + name), TextsPath = ProbeText(), Windows = 8, WindowTokens = 32, Threads = 1,
    });
}

/// <summary>memscan compare on language models: hidden states over token positions, CKA and SVCCA per layer pair.</summary>
public partial class LmSimilarityStudyTests(LmSimilarityRuns runs) : IClassFixture<LmSimilarityRuns>
{
    double Cka(string a, string b, string layer) =>
        runs.Three.Rows.Single(r => r.ModelA == a && r.ModelB == b && r.LayerA == layer && r.LayerB == layer).Cka;

    [Fact]
    public void Layers_auto_reads_the_embeddings_each_block_and_the_logits_one_row_per_token()
    {
        var labels = runs.Three.Rows.Where(r => r.ModelA == "gpt-1" && r.ModelB == "gpt-2" && r.LayerIndexB == 0).Select(r => r.LayerA).ToList();
        Assert.Equal(["embedding", "block0", "block1", "logits"], labels);
        Assert.All(runs.Three.Rows, r => Assert.Equal(8 * 32, r.Examples));
        Assert.Equal(32, runs.Three.Rows.First(r => r.LayerA == "block1").FeaturesA);
        Assert.Equal(3 * 4 * 4, runs.Three.Rows.Count);
        Assert.Equal(3, runs.Three.Plots.Count);
    }

    [Fact]
    public void A_gpt_compared_with_itself_has_cka_1_at_every_layer()
    {
        var same = runs.Self.Rows.Where(r => r.LayerIndexA == r.LayerIndexB).ToList();
        Assert.Equal(4, same.Count);
        Assert.All(same, r => Assert.Equal(1.0, r.Cka, 9));
    }

    [Fact]
    public void Two_seeds_trained_on_the_same_text_are_more_alike_than_either_is_to_a_random_init_gpt()
    {
        // The real run (README): block1 CKA 0.835 between the seeds, at most 0.058 with the random-init GPT; logits 0.345 vs 0.059.
        foreach (var (layer, margin) in new[] { ("embedding", 0.3), ("block0", 0.3), ("block1", 0.3), ("logits", 0.1) })
        {
            double seeds = Cka("gpt-1", "gpt-2", layer);
            double random = Math.Max(Cka("gpt-1", "gpt-random", layer), Cka("gpt-2", "gpt-random", layer));
            Assert.True(seeds > random + margin, $"{layer}: CKA between the two trained seeds {seeds:F3}, with the random-init GPT at most {random:F3}");
        }
    }
}
