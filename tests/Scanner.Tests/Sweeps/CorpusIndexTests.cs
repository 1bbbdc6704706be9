using MemScan.Scanner.Sweeps;
using Xunit;

namespace MemScan.Scanner.Tests.Sweeps;

public class CorpusIndexTests
{
    const string Email = "From: alice@example.org\nTo: bob@example.org\nSubject: the quarterly numbers are attached, please review before friday\n";

    [Fact]
    public void A_verbatim_substring_of_the_training_text_is_found_with_its_offsets_and_full_length()
    {
        var index = CorpusIndex.Build(["unrelated first document", Email], minMatch: 20);
        string sample = "xx Subject: the quarterly numbers are attached, please rev!!";

        var match = index.LongestMatch(sample);

        Assert.NotNull(match);
        Assert.Equal(3, match.SampleOffset);
        Assert.Equal("Subject: the quarterly numbers are attached, please rev", match.Text);
        Assert.Equal(match.Text.Length, match.Length);
        Assert.Equal("unrelated first document".Length + 1 + Email.IndexOf("Subject", StringComparison.Ordinal), match.CorpusOffset);
    }

    [Fact]
    public void A_near_miss_with_one_changed_char_in_every_stretch_of_the_minimum_length_is_not_found()
    {
        var index = CorpusIndex.Build([Email], minMatch: 20);
        // one char changed every 15 chars: no 20-char window survives
        var chars = Email.ToCharArray();
        for (int i = 7; i < chars.Length; i += 15) chars[i] = chars[i] == 'x' ? 'y' : 'x';

        Assert.Null(index.LongestMatch(new string(chars)));
        Assert.Null(index.LongestMatch(Email.ToUpperInvariant()));
        Assert.Null(index.LongestMatch(Email[..19]));
    }

    [Fact]
    public void A_match_is_exactly_as_long_as_the_shared_text_and_never_straddles_two_documents()
    {
        var index = CorpusIndex.Build(["aaaa the end of one document", "and the start of another bbbb"], minMatch: 10);

        var across = index.LongestMatch("the end of one documentand the start");
        Assert.NotNull(across);
        Assert.Equal("the end of one document", across.Text);

        Assert.Equal(10, index.LongestMatch("zzthe end ofzz")!.Length);
        Assert.Null(index.LongestMatch("the end o"));
    }

    [Fact]
    public void A_minimum_match_below_8_chars_is_refused_with_the_number()
    {
        var e = Assert.Throws<MemScanException>(() => CorpusIndex.Build([Email], 5));
        Assert.Contains("got 5", e.Message);
    }
}
