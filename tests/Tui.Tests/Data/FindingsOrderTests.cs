using MemScan.Scanner.Results;
using MemScan.Tui.Data;
using System.Collections;
using Xunit;

namespace MemScan.Tui.Tests.Data;

public class FindingsOrderTests
{
    // rows: 0 low/exposure/5 of 20 bits, 1 critical/mia/0.2 of 1, 2 high/exposure/19 of 20 bits, 3 high/extraction/NaN
    private static readonly FindingKeys Keys = new(
        [Severity.Low, Severity.Critical, Severity.High, Severity.High],
        [5, 0.2, 19, double.NaN],
        [0.25, 0.2, 0.95, double.NaN],
        [0, 2, 0, 1],
        ["exposure", "extraction", "mia"]);

    [Fact]
    public void By_severity_the_most_severe_come_first_then_the_highest_score()
    {
        Assert.Equal([1, 2, 3, 0], FindingsOrder.Apply(Keys, new FindingsQuery(), null));
    }

    [Fact]
    public void By_normalized_score_the_highest_come_first_and_not_a_number_last()
    {
        Assert.Equal([2, 0, 1, 3], FindingsOrder.Apply(Keys, new FindingsQuery { Sort = FindingSort.Normalized }, null));
    }

    [Fact]
    public void By_probe_names_sort_alphabetically()
    {
        Assert.Equal([2, 0, 3, 1], FindingsOrder.Apply(Keys, new FindingsQuery { Sort = FindingSort.Probe }, null));
    }

    [Fact]
    public void Filters_on_probe_minimum_severity_and_text_all_apply()
    {
        Assert.Equal([2, 0], FindingsOrder.Apply(Keys, new FindingsQuery { Probe = "exposure" }, null));
        Assert.Equal([1, 2, 3], FindingsOrder.Apply(Keys, new FindingsQuery { MinSeverity = Severity.High }, null));
        var text = new BitArray([true, false, false, true]);
        Assert.Equal([3, 0], FindingsOrder.Apply(Keys, new FindingsQuery { Text = "x" }, text));
        Assert.Empty(FindingsOrder.Apply(Keys, new FindingsQuery { Probe = "no-such-probe" }, null));
    }
}
