using MemScan.Scanner.Scanning;
using Xunit;

namespace MemScan.Scanner.Tests.Scanning;

public class MemoryBudgetsTests
{
    [Theory]
    [InlineData("512M", 512L << 20)]
    [InlineData("2G", 2L << 30)]
    [InlineData("1.5GiB", 3L << 29)]
    [InlineData("64 mb", 64L << 20)]
    [InlineData("20000000", 20_000_000)]
    public void Sizes_read_with_binary_units(string text, long bytes) => Assert.Equal(bytes, MemoryBudgets.Parse(text));

    [Theory]
    [InlineData("lots", "cannot read")]
    [InlineData("2X", "cannot read")]
    [InlineData("-1G", "cannot read")]
    [InlineData("1M", "below the smallest budget")]
    [InlineData("1e30G", "cannot read")]
    public void Bad_sizes_are_one_clear_message(string text, string expected) =>
        Assert.Contains(expected, Assert.Throws<MemScanException>(() => MemoryBudgets.Parse(text)).Message);

    [Fact]
    public void The_default_is_a_quarter_of_the_memory_this_process_may_use()
    {
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        Assert.Equal(Math.Max(MemoryBudgets.Minimum, available / 4), MemoryBudgets.MachineDefault);
    }
}
