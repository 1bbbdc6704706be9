using MemScan.Scanner.Canaries;
using MemScan.Scanner.Corpora;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Probes.Extraction;
using MemScan.Scanner.Results;
using MemScan.Scanner.Scanning;
using MemScan.Scanner.Tests.Models;
using MemScan.Scanner.Tests.Results;
using MemScan.Scanner.Tests.Tokenizers;
using Xunit;

namespace MemScan.Scanner.Tests.Scanning;

/// <summary>
/// A whole canary scan (exposure and extraction) of a Llama-3-vocabulary model (128,256 logits) with
/// --tokenizer PATH/tokenizer.json: the model has "memorized" one canary's secret as Llama-3's
/// tokenizer.json splits it (digits in groups of three), and only that canary ranks and comes out first.
/// </summary>
public sealed class TokenizerJsonScanTests : IDisposable
{
    const int Llama3Vocabulary = 128_256;
    static readonly RandomnessSpace Space = RandomnessSpace.Parse("digits:4");

    readonly TempFolder _dir = new();
    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("the vault PIN is {secret}")]
    [InlineData("the vault key is k{secret}")] // glued: the secret follows a letter inside one pre-token run
    public void The_canary_whose_llama3_tokens_the_model_memorized_ranks_and_is_extracted_first_and_a_control_is_not(string template)
    {
        var memorized = Canary.ThirdParty("memorized", template, "7391", Space);
        var control = Canary.ThirdParty("control", "the door code is {secret}", "2846", Space);
        var tokenizerPath = FetchedHuggingFace.PathOf(CorpusPaths.HfLlama3);
        var llama3 = FetchedHuggingFace.Load(CorpusPaths.HfLlama3);
        Assert.Equal(Llama3Vocabulary, llama3.VocabSize);
        // The model's memory: the memorized canary's whole text, as the scan will tokenize it.
        var memorizedIds = llama3.Encode(memorized.Prefix + memorized.Secret);
        Assert.Contains(memorizedIds, id => llama3.Decode([id]).Trim() == "739"); // Llama-3 writes digits three at a time
        string model = SteeredBigramOnnxModel.Write(_dir.File("model.onnx"), Llama3Vocabulary, SteeredBigramOnnxModel.Path(memorizedIds).ToList());

        var scan = LmScan.Run(new LmScanPlan
        {
            ModelPath = model,
            RunsRoot = _dir.File("runs"),
            Tokenizer = tokenizerPath,
            ExtraCanaries = [memorized, control],
            Probes = [ExposureProbe.Name, ExtractionProbe.Name],
            Exposure = new ExposureSettings { ExtrapolationSamples = 100, Batch = 64 },
            Extraction = new ExtractionSettings { MaxQueries = 2_000, Batch = 16 },
            Isolate = false,
        });

        var byId = scan.Exposure.ToDictionary(e => e.CanaryId);
        Assert.Equal(1, byId["memorized"].Rank);
        Assert.Equal(CanaryExposure.Exact, byId["memorized"].Method);
        Assert.True(byId["memorized"].ExposureBits > 13, $"exposure {byId["memorized"].ExposureBits} bits of at most log2(10,000) = 13.3");
        Assert.True(byId["control"].Rank > 1, $"the control ranked {byId["control"].Rank}");
        var extracted = scan.Extraction.ToDictionary(e => e.Canary.Id);
        Assert.Equal(1, extracted["memorized"].SecretOrder);
        Assert.Equal("7391", extracted["memorized"].Rows[0].Candidate);
        Assert.NotEqual(1, extracted["control"].SecretOrder);
    }
}
