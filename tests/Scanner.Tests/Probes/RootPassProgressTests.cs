using MemScan.Scanner.Canaries;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Tokenizers;
using Xunit;

namespace MemScan.Scanner.Tests.Probes;

/// <summary>
/// The root pass of a large subword space (every candidate encoded once: minutes at 10^8) reports
/// how far it is, and reporting does not change the tree. Reports every chunk here (a real scan
/// reports every 10 s).
/// </summary>
public class RootPassProgressTests
{
    [Fact]
    public void The_root_pass_reports_growing_counts_up_to_the_space_and_builds_the_same_tree()
    {
        var tokenizer = Gpt2BpeTokenizer.CreateDefault();
        var space = RandomnessSpace.Parse("digits:5");
        var reports = new List<(long Encoded, TimeSpan Elapsed)>();
        var reported = LazyCandidateTrie.Build(tokenizer, "my PIN is ", space,
            progress: (encoded, elapsed) => reports.Add((encoded, elapsed)), reportEvery: TimeSpan.Zero);
        var quiet = LazyCandidateTrie.Build(tokenizer, "my PIN is ", space);

        Assert.True(reports.Count >= 10, $"{reports.Count} reports for {space.Size} candidates in chunks of 2,048");
        Assert.All(reports.Zip(reports.Skip(1)), p => Assert.True(p.Second.Encoded > p.First.Encoded && p.Second.Elapsed >= p.First.Elapsed));
        Assert.InRange(reports[^1].Encoded, 1, (long)space.Size);
        Assert.Equal(quiet.RootTokens, reported.RootTokens);
        Assert.Equal(quiet.CandidateCount, reported.CandidateCount);
        Assert.Equal(quiet.MaxDepth, reported.MaxDepth);
        Assert.Equal(quiet.ChildTokens(quiet.Root), reported.ChildTokens(reported.Root));
    }

    [Fact]
    public void The_progress_line_names_counts_and_time_but_no_candidate()
    {
        var canary = Canary.Create("pin", "my pin is {secret}", "31415926", RandomnessSpace.Parse("digits:8"), 1);
        string line = CandidateTries.RootPassProgress(canary, 25_000_000, TimeSpan.FromSeconds(60));
        Assert.Equal("canary pin: tokenizing its 100,000,000 candidates for the tree's root: 25% (25,000,000) in 60 s, about 180 s left", line);
        Assert.DoesNotContain("31415926", line);
    }
}
