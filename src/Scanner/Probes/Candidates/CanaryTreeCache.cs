using MemScan.Scanner.Canaries;
using MemScan.Scanner.Tokenizers;

namespace MemScan.Scanner.Probes.Exposure;

/// <summary>
/// One scan's candidate trees, so that the probes walking the same canary share one tree. Under a
/// subword tokenizer a tree means tokenizing every candidate (for 10^6 candidates about 2.5 s and 64 MiB), and
/// the exposure and extraction probes would otherwise each build it.
/// </summary>
/// <remarks>
/// A tree depends only on the tokenizer, the canary's prefix and its space (not on the id or the
/// secret), so canaries that share those share a tree. The scan announces each use up front
/// (<see cref="ExpectUse"/>); a tree is kept only while another use is still expected and while all
/// kept trees fit in the retention budget, and is let go after its last use, so an exposure-only or
/// extraction-only scan holds no more than it did without the cache. Over the budget a tree is
/// simply built again when needed. <see cref="Dispose"/> lets go of everything when the scan ends,
/// also when a probe failed. Not thread-safe: one scan's probes run one after another.
/// </remarks>
public sealed class CanaryTreeCache(ITextTokenizer tokenizer, CanaryTreeCache.Builder build, long retainedBytesLimit = CanaryTreeCache.DefaultRetainedBytesLimit) : IDisposable
{
    public delegate CanaryTree Builder(ITextTokenizer tokenizer, Canary canary);

    /// <summary>About 17 trees of 10^6 GPT-2-tokenized candidates (58 MiB each by <see cref="CandidateTrie.ApproximateBytes"/>).</summary>
    public const long DefaultRetainedBytesLimit = 1L << 30;

    readonly record struct TreeKey(string Prefix, RandomnessSpace Space)
    {
        public static TreeKey Of(Canary canary) => new(canary.Prefix, canary.Space);
    }

    readonly Dictionary<TreeKey, int> _usesLeft = [];
    readonly Dictionary<TreeKey, CanaryTree> _kept = [];

    public CanaryTreeCache(ITextTokenizer tokenizer) : this(tokenizer, CandidateTries.For) { }

    public ITextTokenizer Tokenizer => tokenizer;
    /// <summary>Trees held for a later use right now.</summary>
    public int KeptTrees => _kept.Count;
    public long KeptBytes { get; private set; }

    /// <summary>Announces that a probe will ask for <paramref name="canary"/>'s tree once.</summary>
    public void ExpectUse(Canary canary)
    {
        var key = TreeKey.Of(canary);
        _usesLeft[key] = _usesLeft.GetValueOrDefault(key) + 1;
    }

    /// <summary>The canary's tree: the kept one, or a new one, kept if another use is expected.</summary>
    public CanaryTree For(Canary canary)
    {
        var key = TreeKey.Of(canary);
        bool usedAgain = CountUse(key);
        if (_kept.TryGetValue(key, out var tree))
        {
            if (!usedAgain) Release(key, tree);
            return tree;
        }
        tree = build(tokenizer, canary);
        long bytes = tree.Trie.ApproximateBytes;
        if (usedAgain && KeptBytes + bytes <= retainedBytesLimit)
        {
            _kept[key] = tree;
            KeptBytes += bytes;
        }
        return tree;
    }

    /// <summary>Counts one use of the key; true while more uses are expected.</summary>
    bool CountUse(TreeKey key)
    {
        int left = _usesLeft.GetValueOrDefault(key) - 1;
        if (left > 0) _usesLeft[key] = left;
        else _usesLeft.Remove(key);
        return left > 0;
    }

    void Release(TreeKey key, CanaryTree tree)
    {
        _kept.Remove(key);
        KeptBytes -= tree.Trie.ApproximateBytes;
    }

    public void Dispose()
    {
        _kept.Clear();
        _usesLeft.Clear();
        KeptBytes = 0;
    }
}
