using MemScan.Scanner.Isolation;
using MemScan.Scanner.Models;
using Xunit;

namespace MemScan.Scanner.Tests.Isolation;

/// <summary>The host's state table: handles are the scanner's to pick, but never reused or invented.</summary>
public sealed class HostStateTableTests
{
    static LmState State(int floats) => new() { History = [1, 2], Tensors = [new float[floats]], NextLogProbs = new float[50] };

    [Fact]
    public void States_are_kept_without_their_log_probs_and_counted_until_released()
    {
        var table = new HostStateTable(LmState.Empty(1), maxBytes: 1 << 20);
        table.AddAll(1, [State(10), State(10)]);
        Assert.Equal(2 * 4 * (10 + 2), table.HeldBytes);
        Assert.Empty(table[2].NextLogProbs);
        table.Release(1);
        table.Release(HostStateTable.InitialHandle); // the initial state is never released
        Assert.Equal(4 * (10 + 2), table.HeldBytes);
        Assert.Equal(2, table.Count);
    }

    [Fact]
    public void Unknown_reused_or_out_of_range_handles_are_refused()
    {
        var table = new HostStateTable(LmState.Empty(1), maxBytes: 1 << 20);
        table.AddAll(1, [State(1)]);
        Assert.Contains("no model state with handle 7", Assert.Throws<InvalidDataException>(() => table[7]).Message);
        Assert.Contains("unknown model state handle 7", Assert.Throws<InvalidDataException>(() => table.Release(7)).Message);
        Assert.Contains("already taken", Assert.Throws<InvalidDataException>(() => table.AddAll(1, [State(1)])).Message);
        Assert.Contains("out of range", Assert.Throws<InvalidDataException>(() => table.AddAll(0, [State(1)])).Message);
        Assert.Contains("out of range", Assert.Throws<InvalidDataException>(() => table.AddAll(long.MaxValue, [State(1), State(1)])).Message);
    }

    [Fact]
    public void A_batch_past_the_limit_is_refused_whole()
    {
        var table = new HostStateTable(LmState.Empty(1), maxBytes: 60); // one state is 48 bytes, two are 96
        var e = Assert.Throws<MemScanException>(() => table.AddAll(1, [State(10), State(10)]));
        Assert.Contains("more than its limit", e.Message);
        Assert.Equal(0, table.HeldBytes);
        Assert.Equal(1, table.Count);
    }
}
