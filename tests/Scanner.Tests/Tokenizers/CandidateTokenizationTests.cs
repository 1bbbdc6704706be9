using System.Diagnostics;
using MemScan.Scanner.Tokenizers;
using Xunit;

namespace MemScan.Scanner.Tests.Tokenizers;

public sealed class CandidateTokenizationTests
{
    static readonly string[] SomePins = ["000000", "123456", "999999", "042042", "100000", "314159", "000001", "777777"];

    [Fact]
    public void Gpt2_digits_after_a_colon_keep_the_prefix_tokens_and_decode_to_the_candidate()
    {
        var gpt2 = FetchedTokenizers.Gpt2;

        var result = CandidateTokenization.Tokenize(gpt2, "my PIN is:", SomePins);

        Assert.Empty(result.BoundaryMerged);
        Assert.Equal(gpt2.Encode("my PIN is:"), result.PrefixIds);
        for (int i = 0; i < SomePins.Length; i++)
        {
            Assert.Equal(SomePins[i], gpt2.Decode(result.TokensOf(i).ToArray()));
            Assert.Equal(result.PrefixIds.Length, result.SharedPrefixLength(i));
        }
        // GPT-2 merges digits into multi-digit tokens: six digits are fewer than six tokens.
        Assert.All(Enumerable.Range(0, SomePins.Length), i => Assert.InRange(result.TokensOf(i).Length, 1, 5));
    }

    [Fact]
    public void A_prefix_ending_in_a_space_merges_across_the_boundary_and_is_reported()
    {
        var gpt2 = FetchedTokenizers.Gpt2;
        const string prefix = "my PIN is ";

        var result = CandidateTokenization.Tokenize(gpt2, prefix, SomePins);

        Assert.Equal(Enumerable.Range(0, SomePins.Length), result.BoundaryMerged);
        Assert.Equal(220, result.PrefixIds[^1]); // the lone space token
        Assert.Equal(result.PrefixIds.Length - 1, result.ShortestSharedPrefix);
        for (int i = 0; i < SomePins.Length; i++)
        {
            Assert.True(result.MergesAcrossBoundary(i));
            int shared = result.SharedPrefixLength(i);
            Assert.Equal(" " + SomePins[i], gpt2.Decode(result.TokensOf(i).ToArray()));
            Assert.Equal(gpt2.Encode(prefix + SomePins[i]), result.PrefixIds[..shared].Concat(result.TokensOf(i).ToArray()).ToArray());
        }
    }

    [Fact]
    public void Batches_cover_the_candidates_in_order_with_their_start_index()
    {
        var gpt2 = FetchedTokenizers.Gpt2;
        var candidates = Enumerable.Range(0, 1000).Select(i => i.ToString("D3"));

        var batches = CandidateTokenization.TokenizeBatches(gpt2, "code=", candidates, batchSize: 300).ToList();

        Assert.Equal([0, 300, 600, 900], batches.Select(b => b.Start));
        Assert.Equal([300, 300, 300, 100], batches.Select(b => b.Count));
        Assert.Equal("901", gpt2.Decode(batches[3].TokensOf(1).ToArray()));
    }

    [Fact]
    public void Parallel_and_sequential_tokenization_agree()
    {
        var candidates = Enumerable.Range(0, 20_000).Select(i => (i * 7919 % 1_000_000).ToString("D6") + (i % 3 == 0 ? " Ω" : "")).ToList();
        ITextTokenizer[] tokenizers = [FetchedTokenizers.Gpt2, TiktokenTokenizer.Create(FetchedTokenizers.TiktokenPath("cl100k_base"))];

        foreach (var tokenizer in tokenizers)
        {
            var parallel = CandidateTokenization.Tokenize(tokenizer, "The secret is ", candidates);
            var sequential = CandidateTokenization.Tokenize(tokenizer, "The secret is ", candidates, maxDegreeOfParallelism: 1);

            Assert.Equal(sequential.AllTokens.ToArray(), parallel.AllTokens.ToArray());
            Assert.Equal(sequential.Offsets.ToArray(), parallel.Offsets.ToArray());
        }
    }

    [Fact]
    public void A_million_six_digit_candidates_tokenize_and_decode_back_exactly()
    {
        var gpt2 = FetchedTokenizers.Gpt2;
        var candidates = Enumerable.Range(0, 1_000_000).Select(i => i.ToString("D6")).ToList();

        var clock = Stopwatch.StartNew();
        var result = CandidateTokenization.Tokenize(gpt2, "my PIN is:", candidates);
        clock.Stop();
        TestContext.Current.SendDiagnosticMessage($"GPT-2: 10^6 candidates tokenized in {clock.Elapsed.TotalSeconds:F2} s on {Environment.ProcessorCount} cores");

        Assert.Equal(1_000_000, result.Count);
        Assert.Empty(result.BoundaryMerged);
        for (int i = 0; i < candidates.Count; i += 997)
            Assert.Equal(candidates[i], gpt2.Decode(result.TokensOf(i).ToArray()));
    }

    [Theory]
    [InlineData("my PIN is ")]
    [InlineData("my PIN is:")]
    [InlineData("the password of the account is hunter")]
    public void A_long_prefix_is_encoded_by_its_tail_with_the_same_ids_as_the_whole_prefix(string ending)
    {
        var gpt2 = FetchedTokenizers.Gpt2;
        var opening = FetchedTokenizers.MobyDick;
        var prefix = opening[opening.IndexOf("Call me Ishmael.", StringComparison.Ordinal)..][..400] + "\n" + ending;
        var candidates = Enumerable.Range(0, 3000).Select(i => (i * 337 % 1_000_000).ToString("D6")).Append("").Append(" x").ToList();

        var result = CandidateTokenization.Tokenize(gpt2, prefix, candidates);

        Assert.True(result.UsedPrefixTail);
        for (int i = 0; i < candidates.Count; i++)
        {
            int shared = result.SharedPrefixLength(i);
            Assert.Equal(gpt2.Encode(prefix + candidates[i]), result.PrefixIds[..shared].Concat(result.TokensOf(i).ToArray()).ToArray());
        }
    }

    [Fact]
    public void Sentencepiece_keeps_encoding_the_whole_prefix_when_its_tail_would_differ()
    {
        var llama = SentencePieceTextTokenizer.Create(FetchedTokenizers.LlamaModelOrSkip(), addBeginningOfSentence: true);
        var prefix = string.Concat(Enumerable.Repeat("Call me Ishmael. Some years ago, never mind how long. ", 3)) + "My PIN is ";

        var result = CandidateTokenization.Tokenize(llama, prefix, SomePins);

        Assert.False(result.UsedPrefixTail);
        Assert.Equal(1, result.PrefixIds[0]);
        for (int i = 0; i < SomePins.Length; i++)
            Assert.Equal(llama.Encode(prefix + SomePins[i]), result.PrefixIds[..result.SharedPrefixLength(i)].Concat(result.TokensOf(i).ToArray()).ToArray());
    }

    [Fact]
    public void A_char_tokenizer_maps_candidates_one_token_per_character()
    {
        var chars = CharTokenizer.Create("\0 0123456789:");

        var result = CandidateTokenization.Tokenize(chars, "pin: ", ["0042"]);

        Assert.Empty(result.BoundaryMerged);
        Assert.Equal([2, 2, 6, 4], result.TokensOf(0).ToArray());
    }
}
