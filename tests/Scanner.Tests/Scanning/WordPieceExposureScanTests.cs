using MemScan.Scanner.Canaries;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Results;
using MemScan.Scanner.Scanning;
using MemScan.Scanner.Tests.Models;
using MemScan.Scanner.Tests.Results;
using MemScan.Scanner.Tests.Tokenizers;
using Xunit;

namespace MemScan.Scanner.Tests.Scanning;

/// <summary>
/// A whole exposure scan of a BERT-vocabulary model (30,522 logits) with --tokenizer bert: the model
/// has "memorized" one canary's secret as WordPiece tokenizes it, and only that canary ranks first.
/// </summary>
public sealed class WordPieceExposureScanTests : IDisposable
{
    const int BertVocabulary = 30_522;
    static readonly RandomnessSpace Space = RandomnessSpace.Parse("digits:4");

    readonly TempFolder _dir = new();
    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("the vault PIN is {secret}")]
    [InlineData("the vault key is k{secret}")] // glued: the secret is ## pieces of the word "k..."
    public void The_canary_whose_wordpiece_tokens_the_model_memorized_ranks_first_and_a_control_does_not(string template)
    {
        var memorized = Canary.ThirdParty("memorized", template, "7391", Space);
        var control = Canary.ThirdParty("control", "the door code is {secret}", "2846", Space);
        var bert = FetchedTokenizers.Bert;
        // The model's memory: the memorized canary's whole text, as the scan will tokenize it.
        var memorizedIds = bert.Encode(memorized.Prefix + memorized.Secret);
        Assert.Contains(memorizedIds, id => File.ReadLines(FetchedTokenizers.BertVocabPath).ElementAt(id).StartsWith("##", StringComparison.Ordinal));
        string model = SteeredBigramOnnxModel.Write(_dir.File("model.onnx"), BertVocabulary, SteeredBigramOnnxModel.Path(memorizedIds).ToList());

        var scan = LmScan.Run(new LmScanPlan
        {
            ModelPath = model,
            RunsRoot = _dir.File("runs"),
            Tokenizer = "bert",
            ExtraCanaries = [memorized, control],
            Probes = [ExposureProbe.Name],
            Exposure = new ExposureSettings { ExtrapolationSamples = 100, Batch = 64 },
            Isolate = false,
        });

        var byId = scan.Exposure.ToDictionary(e => e.CanaryId);
        Assert.Equal(1, byId["memorized"].Rank);
        Assert.Equal(CanaryExposure.Exact, byId["memorized"].Method);
        Assert.True(byId["memorized"].ExposureBits > 13, $"exposure {byId["memorized"].ExposureBits} bits of at most log2(10,000) = 13.3");
        Assert.True(byId["control"].Rank > 1, $"the control ranked {byId["control"].Rank}");
        Assert.True(byId["control"].ExposureBits < 10, $"the control's exposure is {byId["control"].ExposureBits} bits");
        // the run folder holds the exposure histogram docs/RESULTS.md promises
        byte[] png = File.ReadAllBytes(Path.Combine(scan.Run.Path, ExposureProbe.HistogramFile));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
    }
}
