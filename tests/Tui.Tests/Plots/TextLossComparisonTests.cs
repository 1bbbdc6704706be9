using MemScan.Tui.Data;
using MemScan.Tui.Plots;
using Xunit;

namespace MemScan.Tui.Tests.Plots;

public class TextLossComparisonTests
{
    [Fact]
    public void Members_and_non_members_are_counted_per_loss_bin_side_by_side()
    {
        MemberLoss[] losses =
        [
            new(0.1, true), new(0.2, true), new(0.15, true),
            new(0.9, false), new(1.0, false),
        ];

        IReadOnlyList<string> lines = TextLossComparison.Render(losses, width: 60, bins: 3);

        Assert.Contains("members n=3", lines[0]);
        Assert.Contains("non-members n=2", lines[0]);
        Assert.Equal(1 + 3 + 1, lines.Count);
        Assert.Contains(TextLossComparison.MemberBar, lines[1]);
        Assert.DoesNotContain(TextLossComparison.NonMemberBar, lines[1]);
        Assert.Matches(@"#+ +3 \| +0$", lines[1].TrimEnd());
        Assert.Contains(TextLossComparison.NonMemberBar, lines[3]);
    }

    [Fact]
    public void No_losses_say_there_is_no_data()
    {
        IReadOnlyList<string> lines = TextLossComparison.Render([], 40, 4);

        Assert.Equal("  (no data)", lines[^1]);
    }
}
