using MemScan.Tui.Data;
using Xunit;

namespace MemScan.Tui.Tests.Data;

public class NormalizedScoreTests
{
    [Fact]
    public void A_bounded_score_is_its_fraction_of_the_maximum()
    {
        Assert.Equal(1.0, NormalizedScore.Of(19.932, "exposure_bits", 19.932));
        Assert.Equal(0.21, NormalizedScore.Of(0.21, "tpr_at_1pct_fpr", 1), 12);
        Assert.Equal(1.0, NormalizedScore.Of(25, "exposure_bits", 19.9)); // an extrapolated exposure past the space
    }

    [Fact]
    public void A_rank_or_order_is_strongest_at_one()
    {
        // the case: an extraction order of 538,354 must not outrank one of 1
        Assert.Equal(1.0, NormalizedScore.Of(1, "extraction_order", null));
        Assert.True(NormalizedScore.Of(538_354, "extraction_order", null) < NormalizedScore.Of(3_400, "extraction_rank", null));
        Assert.True(NormalizedScore.Of(3_400, "extraction_rank", null) < NormalizedScore.Of(0.3, "exposure_bits", 1));
    }

    [Fact]
    public void An_unbounded_or_missing_score_has_no_normalized_value()
    {
        Assert.True(double.IsNaN(NormalizedScore.Of(12.5, "top_log_perplexity_bits", null)));
        Assert.True(double.IsNaN(NormalizedScore.Of(double.NaN, "extraction_order", null)));
        Assert.True(double.IsNaN(NormalizedScore.Of(0.5, "roc_auc", 0)));
    }
}
