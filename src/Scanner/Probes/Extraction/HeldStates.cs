using MemScan.Scanner.Models;

namespace MemScan.Scanner.Probes.Exposure;

/// <summary>A state the extraction frontier holds for its waiting children; <see cref="State"/> is null while dropped.</summary>
sealed class HeldState(LmState state)
{
    public LmState? State { get; set; } = state;
    /// <summary>The tokens the state consumed, kept when the state is dropped so it can be recomputed.</summary>
    public int[] History { get; } = state.History;
    /// <summary>Internal children in the frontier that will need the state.</summary>
    public int Waiting { get; set; }
    /// <summary>The cheapest of those children when they were queued: the state likeliest to be needed soon has the lowest.</summary>
    public double BestWaitingNll { get; set; }
}

/// <summary>
/// The extraction frontier's states within a byte budget (<see cref="ExtractionSearch.MemoryBudget"/>):
/// counts what is held, drops the states least likely to be needed when over, and recomputes
/// dropped states from the root when their children are expanded after all. States that share a
/// prefix's key/value cache count each shared link once, while any held state refers to it
/// (<see cref="HeldStateBytes"/>): a dropped parent's positions stay counted while its held
/// children keep them alive.
/// </summary>
sealed class HeldStates
{
    readonly List<HeldState> _live = [];
    readonly HeldStateBytes _counted = new();
    readonly LmState _root;
    readonly long _budget;
    /// <summary>Most bytes one new state added (its own positions when caches are shared); 0 until one was added.</summary>
    long _maxStateBytes;

    public HeldStates(LmState root, long budget)
    {
        _root = root;
        _budget = budget;
        Root = new(root);
        _counted.Pin(root);
    }

    /// <summary>Never dropped, not counted: every recomputation starts from it.</summary>
    public HeldState Root { get; }
    public long Bytes => _counted.Bytes;
    public long PeakBytes { get; private set; }
    public long Evictions { get; private set; }
    public long RecomputedRows { get; private set; }

    /// <summary>
    /// A batch whose recomputed parents and new states fit in the half of the budget that
    /// <see cref="Trim"/> keeps free (a fifth of it each, leaving room for states that grow by a
    /// token), so the held bytes never pass the budget while the budget holds a few states.
    /// </summary>
    public int BatchWithin(int batch)
    {
        long perState = _maxStateBytes > 0 ? _maxStateBytes : _root.TensorBytes;
        return _budget == long.MaxValue || perState == 0 ? batch : (int)Math.Clamp(_budget / 5 / perState, 1, batch);
    }

    public HeldState Add(LmState state)
    {
        var held = new HeldState(state);
        _maxStateBytes = Math.Max(_maxStateBytes, _counted.Add(state));
        _live.Add(held);
        PeakBytes = Math.Max(PeakBytes, Bytes);
        return held;
    }

    /// <summary>One waiting child was expanded: a state with none left is let go.</summary>
    public void Release(HeldState held)
    {
        if (held == Root || --held.Waiting > 0) return;
        if (held.State is not null) _counted.Remove(held.State);
        held.State = null;
    }

    /// <summary>
    /// Over half the budget (the other half is the next batch's room): drops states with waiting
    /// children, least likely first, down to a quarter (so it is not done again every batch).
    /// </summary>
    public void Trim()
    {
        _live.RemoveAll(h => h.State is null);
        if (Bytes <= _budget / 2) return;
        foreach (var held in _live.OrderByDescending(h => h.BestWaitingNll).ToList())
        {
            if (Bytes <= _budget / 4) break;
            _counted.Remove(held.State!);
            held.State = null;
            Evictions++;
        }
        _live.RemoveAll(h => h.State is null);
    }

    /// <summary>
    /// Recomputes the dropped ones of <paramref name="parents"/>, all together, one token at a time
    /// from the root: the same single-token runs that first made them, so their caches are those
    /// (bitwise, for a model whose rows do not depend on the batch).
    /// </summary>
    public void Restore(LanguageModel model, IEnumerable<HeldState> parents)
    {
        var dropped = parents.Where(p => p.State is null).Distinct().ToArray();
        if (dropped.Length == 0) return;
        int from = Root.History.Length;
        var states = dropped.Select(_ => _root).ToArray();
        int longest = dropped.Max(d => d.History.Length);
        for (int at = from; at < longest; at++)
        {
            var rows = Enumerable.Range(0, dropped.Length).Where(r => dropped[r].History.Length > at).ToArray();
            // Nothing of the recomputed rows' next-token log-probs is read: ask for none.
            var next = model.Advance(rows.Select(r => states[r]).ToArray(), rows.Select(r => new[] { dropped[r].History[at] }).ToArray(),
                rows.Select(_ => Array.Empty<int>()).ToArray());
            for (int k = 0; k < rows.Length; k++) states[rows[k]] = next[k];
            RecomputedRows += rows.Length;
        }
        foreach (var (held, state) in dropped.Zip(states))
        {
            held.State = state;
            _counted.Add(state);
            _live.Add(held);
        }
        PeakBytes = Math.Max(PeakBytes, Bytes);
    }
}
