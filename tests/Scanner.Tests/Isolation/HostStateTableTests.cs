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

    /// <summary>A state whose cache link adds <paramref name="floats"/> values to <paramref name="parent"/>'s.</summary>
    static LmState Linked(LmState? parent, int floats)
    {
        var own = new float[floats];
        return new()
        {
            History = [.. parent?.History ?? [], .. Enumerable.Repeat(1, floats)],
            Tensors = [own],
            Cache = new KvCacheLink(parent?.Cache, [own], floats),
            NextLogProbs = [],
        };
    }

    [Fact]
    public void Shared_cache_links_are_counted_once_and_a_released_parent_while_its_children_are_kept()
    {
        var table = new HostStateTable(LmState.Empty(1), maxBytes: 1 << 20);
        var parent = Linked(null, 100);
        table.AddAll(1, [parent]);
        table.AddAll(2, [Linked(parent, 1), Linked(parent, 1), Linked(parent, 1)]);
        // 100 positions once, one per child, and the histories (4 bytes a token).
        Assert.Equal(4 * (100 + 3) + 4 * (100 + 3 * 101), table.HeldBytes);
        table.Release(1);
        Assert.Equal(4 * (100 + 3) + 4 * 3 * 101, table.HeldBytes);
        foreach (long child in new long[] { 2, 3, 4 }) table.Release(child);
        Assert.Equal(0, table.HeldBytes);
        // A batch past the limit counts the shared parent once, and is refused whole.
        var small = new HostStateTable(LmState.Empty(1), maxBytes: 4 * (100 + 2) + 4 * (101 + 101));
        small.AddAll(1, [Linked(parent, 1), Linked(parent, 1)]);
        Assert.Throws<MemScanException>(() => small.AddAll(3, [Linked(parent, 1)]));
        Assert.Equal(4 * (100 + 2) + 4 * (101 + 101), small.HeldBytes);
    }
}
