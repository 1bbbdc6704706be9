using MemScan.Scanner.Canaries;
using Xunit;

namespace MemScan.Scanner.Tests.Canaries;

public class RandomnessSpaceTests
{
    [Theory]
    [InlineData("digits:6", 1e6)]
    [InlineData("hex:4", 65536)]
    [InlineData("chars:ab:3", 8)]
    public void Named_and_explicit_spaces_have_the_expected_size(string spec, double size)
    {
        var space = RandomnessSpace.Parse(spec);
        Assert.Equal(size, space.Size);
        Assert.Equal(spec, space.ToString());
    }

    [Fact]
    public void Index_and_candidate_are_inverse()
    {
        var space = RandomnessSpace.Parse("digits:6");
        Assert.Equal("000042", space.At(42));
        Assert.Equal(123456, space.IndexOf("123456"));
        Assert.Throws<MemScanException>(() => space.IndexOf("12345a"));
    }

    [Theory]
    [InlineData("digits")]
    [InlineData("digits:0")]
    [InlineData("emoji:4")]
    [InlineData("chars:aa:2")]
    public void Malformed_spaces_are_refused_with_a_clear_message(string spec)
    {
        var e = Assert.Throws<MemScanException>(() => RandomnessSpace.Parse(spec));
        Assert.Contains(spec, e.Message);
    }
}
