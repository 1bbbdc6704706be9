using MemScan.Scanner.Tokenizers;
using Xunit;

namespace MemScan.Scanner.Tests.Tokenizers;

public sealed class TokenizerCompatibilityTests
{
    [Fact]
    public void A_tokenizer_larger_than_the_logits_is_the_wrong_tokenizer()
    {
        var e = Assert.Throws<MemScanException>(() => TokenizerCompatibility.CheckVocabulary(FetchedTokenizers.Gpt2, 98));

        Assert.Contains("has 50257 tokens but the model's logits have 98: wrong tokenizer?", e.Message);
    }

    [Fact]
    public void Logits_padded_past_the_vocabulary_are_fine()
    {
        Assert.Null(TokenizerCompatibility.CheckVocabulary(FetchedTokenizers.Gpt2, 50_257));
        Assert.Null(TokenizerCompatibility.CheckVocabulary(FetchedTokenizers.Gpt2, 50_304));
    }

    [Fact]
    public void Logits_much_wider_than_the_vocabulary_draw_a_warning()
    {
        var warning = TokenizerCompatibility.CheckVocabulary(FetchedTokenizers.Gpt2, 100_277);

        Assert.NotNull(warning);
        Assert.Contains("50257 tokens but the model's logits have 100277", warning);
    }

    [Fact]
    public void Bpe_tokenizers_round_trip_the_default_probe()
    {
        TokenizerCompatibility.CheckRoundTrip(FetchedTokenizers.Gpt2);
        TokenizerCompatibility.CheckRoundTrip(TiktokenTokenizer.Create(FetchedTokenizers.TiktokenPath("cl100k_base")));
    }

    [Fact]
    public void A_char_vocabulary_that_lacks_probe_characters_fails_the_round_trip_with_the_position()
    {
        var chars = CharTokenizer.Create("\0abc ");

        var e = Assert.Throws<MemScanException>(() => TokenizerCompatibility.CheckRoundTrip(chars, "abc abd"));

        Assert.Contains("does not round-trip", e.Message);
        Assert.Contains("came back as \"abc ab\\0\"", e.Message);
        Assert.Contains("first difference at character 6 of 7", e.Message);
    }

    [Fact]
    public void A_char_vocabulary_passes_with_text_it_covers()
    {
        TokenizerCompatibility.CheckRoundTrip(CharTokenizer.Create("\0abc "), "abc cab");
    }
}
