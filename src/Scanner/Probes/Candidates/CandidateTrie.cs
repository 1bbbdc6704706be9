namespace MemScan.Scanner.Probes.Exposure;

/// <summary>A node of the candidate tree: its depth in tokens and its index among nodes of that depth.</summary>
public readonly record struct TrieNode(int Depth, long Index);

/// <summary>
/// The randomness space as a tree of token sequences: candidates sharing a prefix share a path,
/// so the model evaluates each prefix once. Leaves are candidates.
/// </summary>
public abstract class CandidateTrie
{
    public abstract long CandidateCount { get; }
    /// <summary>Tokens on the longest root-to-leaf path: the most a candidate makes the model read.</summary>
    public abstract int MaxDepth { get; }
    public TrieNode Root => new(0, 0);
    public abstract bool IsLeaf(TrieNode node);
    /// <summary>Edges out of an internal node: (token id, child).</summary>
    public abstract IEnumerable<(int Token, TrieNode Child)> Children(TrieNode node);
    /// <summary>The tokens of <see cref="Children"/>: the next-token log-probs a search reads of the node's state. Not to be modified (may be shared).</summary>
    public virtual int[] ChildTokens(TrieNode node) => Children(node).Select(c => c.Token).ToArray();
    /// <summary>How many candidates lie below (or at) the node.</summary>
    public abstract long LeavesBelow(TrieNode node);
    /// <summary>The candidate index of a leaf.</summary>
    public abstract long CandidateOf(TrieNode leaf);
    /// <summary>The leaf of a candidate and the tokens on the way there.</summary>
    public abstract (TrieNode Leaf, int[] Tokens) PathOf(long candidate);
    /// <summary>Managed memory the tree holds, roughly: what keeping it for a later probe costs.</summary>
    public abstract long ApproximateBytes { get; }
    /// <summary>
    /// Says a search is done with a node (it will not ask for it or its children's list again), so a
    /// tree that makes nodes on demand (<see cref="LazyCandidateTrie"/>) can let it go. No-op for stored trees.
    /// </summary>
    public virtual void Release(TrieNode node) { }
}

/// <summary>
/// The implicit tree of a space whose symbols are each one token (char-level models): no storage,
/// node index = candidate index prefix in base |alphabet|.
/// </summary>
public sealed class UniformCandidateTrie : CandidateTrie
{
    readonly int[] _symbolTokens;
    readonly int _length;
    readonly long[] _powers;

    public UniformCandidateTrie(int[] symbolTokens, int length)
    {
        _symbolTokens = symbolTokens;
        _length = length;
        _powers = new long[length + 1];
        _powers[0] = 1;
        for (int i = 1; i <= length; i++) _powers[i] = checked(_powers[i - 1] * symbolTokens.Length);
    }

    public override long CandidateCount => _powers[_length];
    public override int MaxDepth => _length;
    public override bool IsLeaf(TrieNode node) => node.Depth == _length;
    public override long LeavesBelow(TrieNode node) => _powers[_length - node.Depth];
    public override long CandidateOf(TrieNode leaf) => leaf.Index;
    public override long ApproximateBytes => sizeof(int) * _symbolTokens.Length + sizeof(long) * _powers.Length;

    /// <summary>Every node has the same children's tokens: one shared array, no allocation per node.</summary>
    public override int[] ChildTokens(TrieNode node) => _symbolTokens;

    public override IEnumerable<(int Token, TrieNode Child)> Children(TrieNode node)
    {
        for (int k = 0; k < _symbolTokens.Length; k++)
            yield return (_symbolTokens[k], new TrieNode(node.Depth + 1, node.Index * _symbolTokens.Length + k));
    }

    public override (TrieNode Leaf, int[] Tokens) PathOf(long candidate)
    {
        var tokens = new int[_length];
        long rest = candidate;
        for (int i = _length - 1; i >= 0; i--)
        {
            tokens[i] = _symbolTokens[(int)(rest % _symbolTokens.Length)];
            rest /= _symbolTokens.Length;
        }
        return (new TrieNode(_length, candidate), tokens);
    }
}
