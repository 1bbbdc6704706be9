using Xunit;
using MemScan.Scanner.Metrics;

namespace MemScan.Scanner.Tests.Metrics;

public class LanguageModelScoreTests
{
    [Fact]
    public void Mean_loss_is_the_negated_mean_log_probability_and_perplexity_its_exponential()
    {
        float[] logProbs = [-1f, -2f, -3f];
        Assert.Equal(2, SequenceLoss.Mean(logProbs), 6);
        Assert.Equal(Math.Exp(2), SequenceLoss.Perplexity(logProbs), 5);
    }

    [Fact]
    public void Probabilities_passed_as_log_probabilities_are_rejected_with_the_position()
    {
        var e = Assert.Throws<MemScanException>(() => SequenceLoss.Mean([-0.5f, 0.7f]));
        Assert.Contains("token 1 of 2", e.Message);
        Assert.Contains("0.7", e.Message);
    }

    [Fact]
    public void Compressed_lengths_match_python_zlib_including_the_eight_byte_frame_of_empty_text()
    {
        // 2-byte header, an empty final deflate block, 4-byte Adler-32: 8 bytes, as Python's zlib.compress(b"")
        Assert.Equal(64, ZlibRatio.CompressedBits(""));
        // and the lengths of Python's zlib.compress for short texts: 789c4b040000620062 for "a"
        Assert.Equal(9 * 8, ZlibRatio.CompressedBits("a"));
        Assert.Equal(16 * 8, ZlibRatio.CompressedBits("hello hello hello hello"));
    }

    [Fact]
    public void Repetitive_text_compresses_to_fewer_bits_so_at_equal_loss_its_zlib_ratio_is_higher()
    {
        string repetitive = string.Concat(Enumerable.Repeat("the cat sat on the mat. ", 20));
        string varied = "Quartz glyph jobs vex wizards; 7 brown foxes nap quietly under 42 old oak trees while " +
                        "Zelda mixes pungent curry, fig jam and xylitol-free kumquat soda for Björn's picnic in May.";
        Assert.True(repetitive.Length > varied.Length);
        int repetitiveBits = ZlibRatio.CompressedBits(repetitive);
        int variedBits = ZlibRatio.CompressedBits(varied);
        Assert.True(repetitiveBits < variedBits / 2, $"{repetitiveBits} vs {variedBits} bits");

        // the same low loss is only suspicious on the text that does not compress: lower ratio = likelier member
        Assert.True(ZlibRatio.Compute(1.0, repetitive) > ZlibRatio.Compute(1.0, varied));
        Assert.Equal(1.0 / variedBits, ZlibRatio.Compute([-0.5f, -1.5f], varied), 12);
    }

    [Fact]
    public void Lowercase_ratio_divides_the_lowercase_loss_by_the_original_loss()
    {
        Assert.Equal(1.5, LowercaseRatio.Compute(3.0, 2.0));
        var e = Assert.Throws<MemScanException>(() => LowercaseRatio.Compute(3.0, 0));
        Assert.Contains("got 0", e.Message);
    }

    [Fact]
    public void Reference_ratio_subtracts_the_reference_loss()
    {
        Assert.Equal(-0.5, ReferenceRatio.Compute(1.5, 2.0));
        Assert.Equal(-1.0, ReferenceRatio.Compute([-1f, -1f], [-2f, -2f]), 6);
    }

    [Theory]
    [InlineData(0.2, -4.0)]              // ⌊0.2·5⌋ = 1 token: -4
    [InlineData(0.4, -3.0)]              // 2 tokens: (-4 - 2) / 2
    [InlineData(0.5, -3.0)]              // ⌊2.5⌋ = 2 tokens
    [InlineData(0.1, -4.0)]              // ⌊0.5⌋ = 0, at least one token
    [InlineData(1.0, -1.52)]             // all: (-0.1 - 2 - 0.5 - 4 - 1) / 5
    public void Min_k_prob_averages_the_lowest_fraction_of_token_log_probabilities(double k, double expected)
    {
        float[] logProbs = [-0.1f, -2f, -0.5f, -4f, -1f];
        Assert.Equal(expected, MinKProb.Score(logProbs, k), 6);
    }

    [Fact]
    public void Min_k_prob_keeps_29_of_100_tokens_at_k_0_29_despite_rounding()
    {
        var logProbs = Enumerable.Range(0, 100).Select(i => -(float)i).ToArray();
        // lowest 29 are -99 .. -71: mean -85
        Assert.Equal(-85, MinKProb.Score(logProbs, 0.29), 6);
    }

    // For a two-token distribution (p, 1 - p) the standardized score of token 0 is √((1-p)/p) and of
    // token 1 is -√(p/(1-p)), which makes a hand-checkable example.
    static float[] Row(params double[] probs) => probs.Select(p => (float)Math.Log(p)).ToArray();

    [Fact]
    public void Min_k_plus_plus_standardizes_each_token_against_the_model_distribution()
    {
        var rows = new[] { Row(0.8, 0.2), Row(0.5, 0.5), Row(0.9, 0.1) };
        int[] tokens = [1, 0, 0];
        var scores = MinKPlusPlus.TokenScores(rows, tokens);
        Assert.Equal(-2.0, scores[0], 5);     // -√(0.8/0.2)
        Assert.Equal(0.0, scores[1], 5);      // uniform: log p = μ
        Assert.Equal(1.0 / 3, scores[2], 5);  // √(0.1/0.9)

        Assert.Equal(-2.0, MinKPlusPlus.Score(rows, tokens, 1.0 / 3), 5);
        Assert.Equal(-1.0, MinKPlusPlus.Score(rows, tokens, 2.0 / 3), 5);
        Assert.Equal(-5.0 / 9, MinKPlusPlus.Score(rows, tokens, 1.0), 5);

        float[] flat = rows.SelectMany(r => r).ToArray();
        Assert.Equal(scores, MinKPlusPlus.TokenScores(flat, 2, tokens));
    }

    [Fact]
    public void Min_k_plus_plus_on_a_three_token_row_matches_a_direct_computation()
    {
        double[] p = [0.6, 0.3, 0.1];
        double mu = p.Sum(q => q * Math.Log(q));
        double sigma = Math.Sqrt(p.Sum(q => q * Math.Log(q) * Math.Log(q)) - mu * mu);
        var scores = MinKPlusPlus.TokenScores([Row(p)], [2]);
        Assert.Equal((Math.Log(0.1) - mu) / sigma, scores[0], 5);
    }

    [Fact]
    public void Min_k_plus_plus_rejects_logits_with_the_row_sum()
    {
        var e = Assert.Throws<MemScanException>(() => MinKPlusPlus.TokenScores([new float[] { -0.1f, -0.2f }], [0]));
        Assert.Contains("row 0 sums to probability 1.72", e.Message);
    }
}
