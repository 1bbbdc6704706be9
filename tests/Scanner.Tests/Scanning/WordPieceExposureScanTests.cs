using MemScan.Scanner.Probes.Exposure;
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

    readonly TempFolder _dir = new();
    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("the vault PIN is {secret}")]
    [InlineData("the vault key is k{secret}")] // glued: the secret is ## pieces of the word "k..."
    public void The_canary_whose_wordpiece_tokens_the_model_memorized_ranks_first_and_a_control_does_not(string template)
    {
        var memorized = SteeredCanaryScan.Memorized(template);
        var memorizedIds = FetchedTokenizers.Bert.Encode(memorized.Prefix + memorized.Secret);
        Assert.Contains(memorizedIds, id => File.ReadLines(FetchedTokenizers.BertVocabPath).ElementAt(id).StartsWith("##", StringComparison.Ordinal));

        var scan = SteeredCanaryScan.Run(_dir.Path, BertVocabulary, memorizedIds, "bert", memorized, ExposureProbe.Name);

        var byId = SteeredCanaryScan.AssertOnlyTheMemorizedRanksFirst(scan);
        Assert.True(byId["control"].ExposureBits < 10, $"the control's exposure is {byId["control"].ExposureBits} bits");
        // the run folder holds the exposure histogram docs/RESULTS.md promises
        byte[] png = File.ReadAllBytes(Path.Combine(scan.Run.Path, ExposureProbe.HistogramFile));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
    }
}
