using MemScan.Scanner.Sweeps;
using Xunit;

namespace MemScan.Scanner.Tests.Sweeps;

public class NearDuplicatesTests
{
    [Fact]
    public void Samples_differing_in_case_spacing_or_a_few_chars_are_grouped_under_the_lowest_index()
    {
        const string line = "Received: from mail.example.com (mail.example.com [192.168.1.20]) by relay with SMTP id 1234";
        var samples = new List<(long, string)>
        {
            (7, line),
            (3, line.ToUpperInvariant().Replace(" ", "   ")),
            (9, line.Replace("1234", "1299")),
            (4, "an unrelated sentence about whales and the sea, nothing like a mail header at all"),
            (5, "yet another unrelated line of text that mentions the weather in november"),
        };

        var duplicates = NearDuplicates.Find(samples, 0.7);

        Assert.Equal(new Dictionary<long, long> { [7] = 3, [9] = 3 }, duplicates);
    }

    [Fact]
    public void The_jaccard_similarity_of_shingle_sets_is_exact()
    {
        var a = NearDuplicates.ShingleSet("abcdef");   // abcde, bcdef
        var b = NearDuplicates.ShingleSet("abcdeg");   // abcde, bcdeg

        Assert.Equal(1.0 / 3, NearDuplicates.Jaccard(a, b), 12);
        Assert.Equal("a b c", NearDuplicates.Normalize("  A\n\tb   C "));
    }
}
