namespace MemScan.Scanner.Models;

/// <summary>
/// The state-tensor bytes a changing set of held states keeps alive, each shared cache link
/// (<see cref="KvCacheLink"/>) counted once. The rule, and why it is an upper bound of what is
/// really held: a link is counted from the moment a held state, or a counted link below it,
/// refers to it until the last such reference goes. So a parent's positions stay counted while
/// any of its children is held, even after the parent itself was let go (its children keep it
/// alive); a state's tensors that are not in a link (a recurrent state, a full copy) are counted
/// with the state. What is not counted: links kept alive only by states the caller no longer holds
/// (garbage to the caller, as its dropped full copies were before sharing), and links of pinned
/// states (<see cref="Pin"/>: the root of a search, held by the caller and excluded from its budget).
/// </summary>
public sealed class HeldStateBytes
{
    readonly Dictionary<KvCacheLink, int> _references = new(ReferenceEqualityComparer.Instance);

    /// <summary>Bytes counted now.</summary>
    public long Bytes { get; private set; }

    /// <summary>Counts <paramref name="state"/> as held; returns the bytes this added (its own positions when its parent is held).</summary>
    public long Add(LmState state)
    {
        long added = state.UnlinkedTensorBytes;
        for (var link = state.Cache; link is not null; link = link.Parent)
        {
            if (_references.TryGetValue(link, out int n))
            {
                _references[link] = n + 1;
                break;
            }
            _references[link] = 1;
            added += link.Bytes;
        }
        Bytes += added;
        return added;
    }

    /// <summary>Lets go of one <see cref="Add"/> of <paramref name="state"/>; returns the bytes no held state refers to any more.</summary>
    public long Remove(LmState state)
    {
        long freed = state.UnlinkedTensorBytes;
        for (var link = state.Cache; link is not null; link = link.Parent)
        {
            int n = _references.TryGetValue(link, out int count) ? count
                : throw new InvalidOperationException("a state was let go that was not held");
            if (n > 1)
            {
                _references[link] = n - 1;
                break;
            }
            _references.Remove(link);
            freed += link.Bytes;
        }
        Bytes -= freed;
        return freed;
    }

    /// <summary>
    /// Holds <paramref name="root"/>'s links for good without counting them: its descendants then
    /// count only what they add. For the root of a search, which the caller keeps and does not count.
    /// </summary>
    public void Pin(LmState root)
    {
        for (var link = root.Cache; link is not null; link = link.Parent)
            _references[link] = _references.GetValueOrDefault(link) + 1;
    }
}
