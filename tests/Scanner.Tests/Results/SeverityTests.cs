using Xunit;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Tests.Results;

public class SeverityTests
{
    [Theory]
    [InlineData("info", Severity.Info, 0)]
    [InlineData("low", Severity.Low, 1)]
    [InlineData("medium", Severity.Medium, 2)]
    [InlineData("high", Severity.High, 3)]
    [InlineData("critical", Severity.Critical, 4)]
    public void Names_and_ranks_round_trip(string name, Severity severity, int rank)
    {
        Assert.Equal(severity, SeverityNames.Parse(name));
        Assert.Equal(name, severity.ToName());
        Assert.Equal(rank, severity.ToRank());
        Assert.Equal(severity, SeverityNames.FromRank(rank));
    }

    [Fact]
    public void Parsing_ignores_case_and_surrounding_blanks()
    {
        Assert.Equal(Severity.High, SeverityNames.Parse("  HIGH "));
    }

    [Fact]
    public void An_unknown_name_is_a_user_error_listing_the_valid_names()
    {
        var e = Assert.Throws<MemScanException>(() => SeverityNames.Parse("severe"));
        Assert.Contains("'severe'", e.Message);
        Assert.Contains("info, low, medium, high or critical", e.Message);
    }

    [Fact]
    public void Severities_order_from_info_to_critical()
    {
        Assert.Equal(SeverityNames.All, SeverityNames.All.Order());
        Assert.True(Severity.Critical > Severity.High);
        Assert.True(Severity.Info < Severity.Low);
    }
}
