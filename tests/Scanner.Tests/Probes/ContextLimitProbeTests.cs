using MemScan.Scanner.Canaries;
using MemScan.Scanner.Probes.Discoverable;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Probes.Extraction;
using MemScan.Scanner.Tests.Models;
using MemScan.Scanner.Tokenizers;
using Xunit;

namespace MemScan.Scanner.Tests.Probes;

/// <summary>
/// The probes on a model with a context: discoverable skips prompt lengths that do not fit (and
/// refuses when none does), exposure and extraction refuse a canary longer than the context, each
/// before the model is asked for more than it holds.
/// </summary>
public sealed class ContextLimitProbeTests
{
    static readonly CharTokenizer Chars = CharTokenizer.Create("\0abcdefghij 0123456789:");

    static HashedLanguageModel Model(int context) => new(Chars.VocabSize) { Context = context };

    static readonly string[] Samples = Enumerable.Range(0, 5).Select(i => string.Concat(Enumerable.Repeat("abcdefghij"[i..] + " ", 6))).ToArray();

    [Fact]
    public void Discoverable_skips_prompt_lengths_whose_prompt_and_suffix_pass_the_context_and_says_so()
    {
        var log = new List<string>();
        var settings = new DiscoverableSettings { PrefixLengths = [4, 12, 16], SuffixTokens = 8 };
        // 4 + 8 - 1 = 11 and 12 + 8 - 1 = 19 fit a context of 19; 16 + 8 - 1 = 23 does not
        var (rows, rates) = new DiscoverableProbe(Model(19), Chars, settings, log.Add).Run(Samples);

        Assert.Equal([4, 12, 16], rates.Select(r => r.PrefixTokens));
        Assert.Equal([5, 5, 0], rates.Select(r => r.Samples));
        Assert.DoesNotContain(rows, r => r.PrefixTokens == 16);
        Assert.Equal("discoverable: prompt length(s) 16 skipped: with --suffix-tokens 8 they pass the model's context of 19 tokens", Assert.Single(log));
    }

    [Fact]
    public void Discoverable_refuses_when_no_prompt_length_fits_naming_the_options_to_lower()
    {
        var settings = new DiscoverableSettings { PrefixLengths = [8, 16], SuffixTokens = 24 };
        var e = Assert.Throws<MemScanException>(() => new DiscoverableProbe(Model(16), Chars, settings).Run(Samples));
        Assert.Contains("every prompt length (8,16) + --suffix-tokens 24 passes", e.Message);
        Assert.Contains("context of 16 tokens", e.Message);
        Assert.Contains("lower --prefix-lengths or --suffix-tokens", e.Message);
    }

    [Fact]
    public void Exposure_and_extraction_refuse_a_canary_longer_than_the_context()
    {
        // "code: " is 6 tokens and the secret 6 more: 12 tokens
        var canary = Canary.ThirdParty("pin", "code: {secret}", "123456", RandomnessSpace.Parse("digits:6"));
        using var trees = new CanaryTreeCache(Chars);
        var model = Model(11);
        var exposure = Assert.Throws<MemScanException>(() => new ExposureProbe(model, trees, new ExposureSettings()).Measure(canary));
        Assert.Equal("canary 'pin' needs 12 tokens (6 of prefix, up to 6 of secret), more than HashedLanguageModel's context of 11 tokens; " +
                     "shorten the template's text before {secret}", exposure.Message);
        var extraction = Assert.Throws<MemScanException>(() => new ExtractionProbe(model, trees, new ExtractionSettings()).Extract(canary));
        Assert.Equal(exposure.Message, extraction.Message);
        Assert.Equal(0, model.Queries);

        // one more token of context and the same canary is searched
        var searched = new ExtractionProbe(Model(12), trees, new ExtractionSettings { MaxQueries = 200 }).Extract(canary);
        Assert.True(searched.Queries > 0);
    }
}
