using MemScan.Scanner.Results;
using MemScan.Tui.Views;
using Xunit;

namespace MemScan.Tui.Tests.Views;

/// <summary>The details pane keeps a finding's secret masked until 'x', also where its evidence quotes it.</summary>
public class FindingDetailsTextTests
{
    static Finding Extracted(string secret, string evidence) => new()
    {
        Probe = "extraction", Subject = "cli-1", Severity = Severity.Info, Score = 3.2, ScoreName = "top_log_perplexity_bits",
        Evidence = evidence, Secret = secret, Rank = 1, Queries = 40, CreatedUtc = new DateTime(2026, 11, 25, 0, 0, 0, DateTimeKind.Utc),
    };

    [Fact]
    public void A_secret_quoted_in_the_evidence_is_masked_until_revealed()
    {
        var f = Extracted("482913", "most likely completion of \"my PIN is {secret}\" is '482913' (3.2 bits; 1e6 candidates)");

        string masked = FindingDetailsText.Build(f, null, null, showSecret: false);
        string shown = FindingDetailsText.Build(f, null, null, showSecret: true);

        Assert.DoesNotContain("482913", masked);
        // fully: not even the first character or the length, as in the secret line
        Assert.Contains("is '••••••'", masked);
        Assert.DoesNotContain("4*****", masked);
        Assert.Contains(FindingDetailsText.Masked, masked);
        Assert.Contains("is '482913'", shown);
    }

    [Fact]
    public void A_generated_continuation_cut_short_in_the_evidence_is_masked_too()
    {
        string generated = "dear john,\nthe wire of 40,000 goes to account 7731 0042 9981 on friday";
        string excerpt = generated.Replace("\n", "\\n")[..60] + "…";
        var f = Extracted(generated, $"3 of 40 training samples continue exactly; e.g. \"hello\" → \"{excerpt}\"");

        string masked = FindingDetailsText.Build(f, null, null, showSecret: false);

        Assert.DoesNotContain("account 7731", masked);
        Assert.Contains("→ \"••••••…\"", masked);
    }
}
