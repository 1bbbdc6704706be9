using MemScan.Scanner.Corpora;
using MemScan.Scanner.Scanning;
using MemScan.Trainer.Canaries;
using MemScan.Trainer.Training;
using Xunit;

namespace MemScan.Trainer.Tests.EndToEnd;

/// <summary>
/// The GPT path end to end: a tiny GPT trained with the GPT-2 tokenizer and a canary, exported with
/// Hugging Face style past_key_values, scanned through that interface with the GPT-2 tokenizer.
/// </summary>
public class GptCanaryScanTests
{
    [Fact]
    public void A_gpt_canary_model_is_scanned_through_its_kv_cache_interface_with_the_gpt2_tokenizer()
    {
        string dir = TinyModels.TempDir("gpt-scan");
        var config = new GptTrainConfig
        {
            Corpus = CorpusPaths.MobyDick,
            MaxChars = 6_000,
            Steps = 150,
            BatchSize = 8,
            SequenceLength = 32,
            Context = 48,
            Dim = 32,
            Layers = 1,
            Heads = 2,
            LearningRate = 1e-2,
            Seed = 5,
            Threads = 1,
            Canaries = [new CanaryPlan.Request("vault", "the vault code is {secret}\n", "digits:4", 48)],
        };
        var trained = GptPipeline.Run(config, Path.Combine(dir, "model"), TextWriter.Null);
        var result = LmScan.Run(new LmScanPlan
        {
            ModelPath = trained.ModelPath,
            RunsRoot = Path.Combine(dir, "runs"),
            Probes = ["exposure", "extraction"],
            Exposure = new() { ExtrapolationSamples = 200, Batch = 128 },
            Extraction = new() { MaxQueries = 20_000 },
        });
        var exposure = Assert.Single(result.Exposure);
        Console.WriteLine($"GPT canary: rank {exposure.Rank} of 10^4, exposure {exposure.ExposureBits:F1} bits; extraction order {result.Extraction[0].SecretOrder}");
        // one torch thread, seeded weights and windows: deterministic; the 48x canary is memorized outright
        Assert.Equal(1, exposure.Rank);
        Assert.Equal(exposure.Rank, result.Extraction[0].SecretOrder);
    }
}
