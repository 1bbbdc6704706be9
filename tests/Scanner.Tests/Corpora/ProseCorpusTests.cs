using MemScan.Scanner.Corpora;
using Xunit;

namespace MemScan.Scanner.Tests.Corpora;

public sealed class ProseCorpusTests
{
    [Fact]
    public void Moby_dick_has_139_parts_starting_with_loomings()
    {
        var book = ProseCorpus.Load(FetchedCorpora.Require(CorpusPaths.MobyDick));

        Assert.Equal("moby-dick", book.Name);
        Assert.Equal(139, book.Documents.Count);
        Assert.Equal(["contents", "etymology", "extracts", "chapter_1"], book.Documents.Take(4).Select(d => d.Id));
        Assert.Equal("epilogue", book.Documents[^1].Id);
        Assert.StartsWith("CHAPTER 1. Loomings.", book.Documents[3].Text);
        Assert.Contains("Call me Ishmael.", book.Text);
        Assert.Matches("^[0-9a-f]{64}$", book.Sha256);
    }

    [Fact]
    public void State_of_the_union_has_233_addresses_from_1790_to_2021()
    {
        var sotu = ProseCorpus.Load(FetchedCorpora.Require(CorpusPaths.StateOfTheUnion));

        Assert.Equal(233, sotu.Documents.Count);
        Assert.Equal("1790_george_washington_n", sotu.Documents[0].Id);
        Assert.Equal("2021_joseph_r_biden_d", sotu.Documents[^1].Id);
        Assert.StartsWith("Fellow-Citizens of the Senate and House of Representatives", sotu.Documents[0].Text);
        // Each address is stored as one line, so a short training text is a cut first line.
        Assert.Equal(sotu.Documents[0].Text[..500], sotu.TrainingText(500));
    }

    [Fact]
    public void Missing_prose_folder_error_names_the_corpus_to_fetch()
    {
        using var dir = new TempDirectory();
        var missing = Path.Combine(dir.Path, CorpusPaths.MobyDick);

        var e = Assert.Throws<MemScanException>(() => ProseCorpus.Load(missing));

        Assert.Contains("corpora/fetch.sh moby-dick", e.Message);
    }
}
