using MemScan.Scanner.Corpora;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Probes.Extraction;
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

    readonly TempFolder _dir = new();
    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("the vault PIN is {secret}")]
    [InlineData("the vault key is k{secret}")] // glued: the secret follows a letter inside one pre-token run
    public void The_canary_whose_llama3_tokens_the_model_memorized_ranks_and_is_extracted_first_and_a_control_is_not(string template)
    {
        var memorized = SteeredCanaryScan.Memorized(template);
        var llama3 = FetchedHuggingFace.Load(CorpusPaths.HfLlama3);
        Assert.Equal(Llama3Vocabulary, llama3.VocabSize);
        var memorizedIds = llama3.Encode(memorized.Prefix + memorized.Secret);
        Assert.Contains(memorizedIds, id => llama3.Decode([id]).Trim() == "739"); // Llama-3 writes digits three at a time

        var scan = SteeredCanaryScan.Run(_dir.Path, Llama3Vocabulary, memorizedIds, FetchedHuggingFace.PathOf(CorpusPaths.HfLlama3), memorized,
            ExposureProbe.Name, ExtractionProbe.Name);

        SteeredCanaryScan.AssertOnlyTheMemorizedRanksFirst(scan);
        var extracted = scan.Extraction.ToDictionary(e => e.Canary.Id);
        Assert.Equal(1, extracted["memorized"].SecretOrder);
        Assert.Equal("7391", extracted["memorized"].Rows[0].Candidate);
        Assert.NotEqual(1, extracted["control"].SecretOrder);
    }
}
