using System.Runtime.InteropServices;
using MemScan.Scanner.Models;

namespace MemScan.Scanner.Isolation;

/// <summary>
/// The scanner's side of the host's state table: hands out handles and notices which states the
/// probes have dropped, so their host copies can be released with the next request.
/// </summary>
/// <remarks>
/// Probes hold <see cref="LmState"/>s the way they always did (stacks, beams, lists) and simply let
/// go of them; nothing in them knows about the host. Each handed-out state is tracked by a weak
/// <see cref="GCHandle"/> (no finalizer anywhere; the handles are freed here, deterministically):
/// once the garbage collector has found a state unreachable its handle is released. A sweep is
/// only worth doing after a collection, so it runs when the gen-0 count moved, and it is O(live states).
/// </remarks>
internal sealed class HostStateHandles : IDisposable
{
    readonly List<(long Id, GCHandle State)> _tracked = [];
    readonly List<long> _releases = [];
    int _collectionsAtSweep = -1;

    /// <summary>The handle the next new state gets; handles are never reused.</summary>
    public long Next { get; private set; } = HostStateTable.InitialHandle + 1;

    /// <summary>Handles given out and not yet released.</summary>
    public int Live => _tracked.Count;

    /// <summary>Starts tracking new states that the host keeps under <see cref="Next"/>, <see cref="Next"/> + 1, ...</summary>
    public void Track(IReadOnlyList<LmState> states)
    {
        foreach (var state in states)
        {
            if (state.HostHandle != Next) throw new InvalidOperationException($"state handle {state.HostHandle} out of order, expected {Next}");
            _tracked.Add((Next++, GCHandle.Alloc(state, GCHandleType.Weak)));
        }
    }

    /// <summary>Handles of states dropped since the last call, to piggyback on the next request.</summary>
    public long[] TakeReleases()
    {
        if (GC.CollectionCount(0) != _collectionsAtSweep) Sweep();
        if (_releases.Count == 0) return [];
        var taken = _releases.ToArray();
        _releases.Clear();
        return taken;
    }

    /// <summary>Runs a full collection first, so every dropped state is found (when the host is filling up).</summary>
    public void CollectDropped()
    {
        GC.Collect();
        Sweep();
    }

    /// <summary>
    /// Collects the young generations first (cheap: this side's recent objects), so states dropped
    /// since they were handed out are found without a full collection of the probe's whole heap.
    /// </summary>
    public void CollectYoung()
    {
        GC.Collect(1, GCCollectionMode.Forced, blocking: true);
        Sweep();
    }

    void Sweep()
    {
        _collectionsAtSweep = GC.CollectionCount(0);
        int kept = 0;
        for (int i = 0; i < _tracked.Count; i++)
        {
            var (id, handle) = _tracked[i];
            if (handle.Target is null)
            {
                handle.Free();
                _releases.Add(id);
            }
            else _tracked[kept++] = (id, handle);
        }
        _tracked.RemoveRange(kept, _tracked.Count - kept);
    }

    public void Dispose()
    {
        foreach (var (_, handle) in _tracked) handle.Free();
        _tracked.Clear();
    }
}
