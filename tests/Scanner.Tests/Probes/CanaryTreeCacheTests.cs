using MemScan.Scanner.Canaries;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Tests.Tokenizers;
using MemScan.Scanner.Tokenizers;
using Xunit;

namespace MemScan.Scanner.Tests.Probes;

/// <summary>
/// The per-scan tree cache builds a subword tree once for all the uses the scan announced, holds it
/// no longer than the last of them and within its budget, and lets go of everything on dispose.
/// </summary>
public sealed class CanaryTreeCacheTests
{
    static readonly RandomnessSpace ThreeDigits = RandomnessSpace.Parse("digits:3");
    static Canary Pin(string secret = "042", string id = "pin") => Canary.ThirdParty(id, "my PIN is {secret}", secret, ThreeDigits);

    /// <summary>Builds real GPT-2 trees and counts them.</summary>
    sealed class CountingBuilder
    {
        public int Builds { get; private set; }
        public CanaryTree Build(ITextTokenizer tokenizer, Canary canary)
        {
            Builds++;
            return CandidateTries.For(tokenizer, canary);
        }
    }

    readonly CountingBuilder _counter = new();

    CanaryTreeCache NewCache(long limit = CanaryTreeCache.DefaultRetainedBytesLimit) => new(FetchedTokenizers.Gpt2, _counter.Build, limit);

    /// <summary>A cache told, as a scan tells it, that exposure and then extraction will walk the PIN's tree.</summary>
    CanaryTreeCache CacheExpectingPinTwice(long limit = CanaryTreeCache.DefaultRetainedBytesLimit)
    {
        var cache = NewCache(limit);
        cache.ExpectUse(Pin());
        cache.ExpectUse(Pin());
        return cache;
    }

    [Fact]
    public void A_tree_expected_twice_is_built_once_and_let_go_after_its_second_use()
    {
        using var cache = CacheExpectingPinTwice();

        var first = cache.For(Pin());
        Assert.Equal(1, cache.KeptTrees);
        Assert.Equal(first.Trie.ApproximateBytes, cache.KeptBytes);
        var second = cache.For(Pin());

        Assert.Same(first, second);
        Assert.Equal(1, _counter.Builds);
        Assert.Equal(0, cache.KeptTrees);
        Assert.Equal(0, cache.KeptBytes);
    }

    [Fact]
    public void Without_an_expected_later_use_nothing_is_held_and_each_call_builds()
    {
        using var cache = NewCache();
        cache.ExpectUse(Pin());
        cache.For(Pin());
        Assert.Equal(0, cache.KeptTrees);
        cache.For(Pin());
        Assert.Equal(2, _counter.Builds);
    }

    [Fact]
    public void Canaries_differing_only_in_id_and_secret_share_a_tree_and_another_prefix_does_not()
    {
        using var cache = NewCache();
        var other = Canary.ThirdParty("code", "the door code is {secret}", "777", ThreeDigits);
        foreach (var canary in new[] { Pin("042", "a"), Pin("913", "b"), Pin("", "c"), other, other })
            cache.ExpectUse(canary);

        var shared = cache.For(Pin("042", "a"));
        Assert.Same(shared, cache.For(Pin("913", "b")));
        Assert.Same(shared, cache.For(Pin("", "c")));
        Assert.NotSame(shared.Trie, cache.For(other).Trie);
        cache.For(other);
        Assert.Equal(2, _counter.Builds);
    }

    [Fact]
    public void A_tree_over_the_retention_budget_is_built_again_rather_than_held()
    {
        using var cache = CacheExpectingPinTwice(limit: 1024);
        var first = cache.For(Pin());
        Assert.True(first.Trie.ApproximateBytes > 1024);
        Assert.Equal(0, cache.KeptTrees);
        Assert.NotSame(first, cache.For(Pin()));
        Assert.Equal(2, _counter.Builds);
    }

    [Fact]
    public void Dispose_lets_go_of_trees_still_waiting_for_a_use()
    {
        using var cache = CacheExpectingPinTwice();
        cache.For(Pin());
        Assert.Equal(1, cache.KeptTrees);

        cache.Dispose();

        Assert.Equal(0, cache.KeptTrees);
        Assert.Equal(0, cache.KeptBytes);
        cache.For(Pin());
        Assert.Equal(2, _counter.Builds);
    }
}
