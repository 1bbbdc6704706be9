using MemScan.Scanner.Corpora;
using Xunit;

namespace MemScan.Scanner.Tests.Corpora;

/// <summary>
/// Access to the corpora under corpora/data for tests. It fetches nothing: a corpus that is absent
/// fails the test with the command to run (./test.sh runs corpora/fetch.sh before the tests).
/// Loaded corpora are shared by all tests of the process.
/// </summary>
internal static class FetchedCorpora
{
    private static readonly Lazy<EmailCorpus> Email = new(() => EmailCorpus.Load(Require(CorpusPaths.SpamAssassin)));
    private static readonly Lazy<ImageDataset> FashionTrain = new(() => FashionMnist.Load(Require(CorpusPaths.FashionMnist), train: true));

    public static EmailCorpus SpamAssassin => Email.Value;

    public static ImageDataset FashionMnistTrain => FashionTrain.Value;

    /// <summary>The folder of a fetched corpus; fails the test when fetch.sh has not completed it.</summary>
    public static string Require(string corpus)
    {
        string directory;
        try
        {
            directory = CorpusPaths.For(corpus);
        }
        catch (MemScanException e)
        {
            Assert.Fail($"{e.Message}. Run corpora/fetch.sh {corpus} first.");
            throw;
        }
        if (!File.Exists(Path.Combine(directory, CorpusPaths.FetchedMarker)))
            Assert.Fail($"corpus '{corpus}' is not fetched (no {CorpusPaths.FetchedMarker} in '{directory}'): " +
                        $"run corpora/fetch.sh {corpus} (./test.sh runs corpora/fetch.sh before the tests)");
        return directory;
    }
}
