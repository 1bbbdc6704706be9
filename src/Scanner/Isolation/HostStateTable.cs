using MemScan.Scanner.Models;

namespace MemScan.Scanner.Isolation;

/// <summary>
/// The model host's states, by the handle the scanner gave each (0 is the initial state). Keeping
/// them here is what makes isolation cheap: a recurrent state or a KV cache never crosses the pipe,
/// only its handle does. Bounded: a batch that would take the table past <see cref="MaxBytes"/> is
/// refused with a clear error instead of the host growing until the system kills it. States that
/// share a prefix's key/value cache count each shared link once, while any kept state refers to it
/// (<see cref="HeldStateBytes"/>): a released parent's positions stay counted while its children are kept.
/// </summary>
internal sealed class HostStateTable(LmState initial, long maxBytes)
{
    /// <summary>Handle of the initial state; never released.</summary>
    public const long InitialHandle = 0;

    readonly Dictionary<long, LmState> _states = new() { [InitialHandle] = initial };
    readonly HeldStateBytes _tensorBytes = new();

    public long MaxBytes => maxBytes;

    /// <summary>Bytes of histories and state tensors held (the initial state's are nothing).</summary>
    public long HeldBytes => _historyBytes + _tensorBytes.Bytes;
    long _historyBytes;

    public int Count => _states.Count;

    public LmState this[long handle] =>
        _states.TryGetValue(handle, out var state) ? state : throw new InvalidDataException($"no model state with handle {handle}");

    public void Release(long handle)
    {
        if (handle == InitialHandle) return;
        if (!_states.Remove(handle, out var state)) throw new InvalidDataException($"release of unknown model state handle {handle}");
        _historyBytes -= HistoryBytes(state);
        _tensorBytes.Remove(state);
    }

    /// <summary>Keeps <paramref name="states"/>[r] under <paramref name="firstHandle"/> + r, all or none.</summary>
    public void AddAll(long firstHandle, IReadOnlyList<LmState> states)
    {
        if (firstHandle <= InitialHandle || firstHandle > long.MaxValue - states.Count)
            throw new InvalidDataException($"model state handles from {firstHandle} are out of range");
        for (int r = 0; r < states.Count; r++)
            if (_states.ContainsKey(firstHandle + r)) throw new InvalidDataException($"model state handle {firstHandle + r} is already taken");
        // Counted as kept, then taken back if over the limit: shared links count once, so the
        // states' bytes together are known only once they are added.
        long history = states.Sum(HistoryBytes);
        foreach (var state in states) _tensorBytes.Add(state);
        if (HeldBytes + history > maxBytes)
        {
            long would = HeldBytes + history;
            foreach (var state in states) _tensorBytes.Remove(state);
            throw new MemScanException(
                $"the model host would hold {Mib(would)} MiB of model states for {_states.Count - 1 + states.Count:N0} sequences, " +
                $"more than its limit of {Mib(maxBytes)} MiB; the probe keeps too many sequences open for this model's state size");
        }
        for (int r = 0; r < states.Count; r++)
            // The next-token log-probs went to the scanner; the host needs only history and state.
            _states.Add(firstHandle + r, new LmState { History = states[r].History, Tensors = states[r].Tensors, Cache = states[r].Cache, NextLogProbs = [] });
        _historyBytes += history;
    }

    static long HistoryBytes(LmState state) => 4L * state.History.Length;

    static long Mib(long bytes) => bytes >> 20;
}
