namespace MemScan.Scanner.Probes.Exposure;

/// <summary>
/// The candidate tree of a space under a subword tokenizer (BPE, tiktoken, SentencePiece), where a
/// candidate's tokens depend on the whole candidate: built from every candidate's token path,
/// sorted so that each node's children are contiguous. Memory is a few ints per node, so spaces
/// up to ~10^7 fit.
/// </summary>
public sealed class ExplicitCandidateTrie : CandidateTrie
{
    readonly int[] _token;        // token on the edge into the node
    readonly int[] _childStart;   // first child's node id
    readonly int[] _childCount;
    readonly long[] _leaves;      // candidates below (1 for a leaf)
    readonly long[] _candidate;   // candidate index for leaves, -1 otherwise
    readonly Dictionary<long, int> _leafOf;

    ExplicitCandidateTrie(int[] token, int[] childStart, int[] childCount, long[] leaves, long[] candidate, int maxDepth)
    {
        (_token, _childStart, _childCount, _leaves, _candidate) = (token, childStart, childCount, leaves, candidate);
        MaxDepth = maxDepth;
        // Sized once: grown by doubling, the map of 10^6 leaves held 6 MiB more (measured 70 vs 64 MiB per tree).
        _leafOf = new Dictionary<long, int>((int)leaves[0]);
        for (int n = 0; n < candidate.Length; n++) if (candidate[n] >= 0) _leafOf[candidate[n]] = n;
    }

    public override long CandidateCount => _leaves[0];
    public override int MaxDepth { get; }
    public override bool IsLeaf(TrieNode node) => _candidate[node.Index] >= 0;
    public override long LeavesBelow(TrieNode node) => _leaves[node.Index];
    public override long CandidateOf(TrieNode leaf) => _candidate[leaf.Index];

    // Per node: token, child start, child count, parent (once PathOf ran) as ints, leaves and
    // candidate as longs; per candidate: a leaf-map entry (key, value, hash, next) and its bucket.
    public override long ApproximateBytes => 32L * _token.Length + 28L * _leafOf.Count;

    public override IEnumerable<(int Token, TrieNode Child)> Children(TrieNode node)
    {
        int start = _childStart[node.Index], count = _childCount[node.Index];
        for (int c = start; c < start + count; c++) yield return (_token[c], new TrieNode(node.Depth + 1, c));
    }

    public override (TrieNode Leaf, int[] Tokens) PathOf(long candidate)
    {
        if (!_leafOf.TryGetValue(candidate, out int leaf)) throw new ArgumentOutOfRangeException(nameof(candidate));
        var tokens = new List<int>();
        var parent = ParentMap();
        for (int n = leaf; n != 0; n = parent[n]) tokens.Add(_token[n]);
        tokens.Reverse();
        return (new TrieNode(tokens.Count, leaf), tokens.ToArray());
    }

    int[]? _parent;
    int[] ParentMap()
    {
        if (_parent is not null) return _parent;
        var parent = new int[_token.Length];
        for (int n = 0; n < _token.Length; n++)
            for (int c = _childStart[n]; c < _childStart[n] + _childCount[n]; c++) parent[c] = n;
        return _parent = parent;
    }

    /// <summary>
    /// Builds the trie from candidate i's token path <paramref name="pathOf"/>(i). Every path must be
    /// non-empty and no path may be a strict prefix of another (true for fixed-length spaces).
    /// Two candidates with one path (an uncased tokenizer folds "A" into "a") cannot be ranked apart:
    /// refused, with the message <paramref name="explainSharedPath"/> gives for the two candidates.
    /// </summary>
    public static ExplicitCandidateTrie Build(int count, Func<int, int[]> pathOf, Func<int, int, string>? explainSharedPath = null)
    {
        var paths = new int[count][];
        for (int i = 0; i < count; i++) paths[i] = pathOf(i);
        var order = Enumerable.Range(0, count).ToArray();
        Array.Sort(order, (a, b) => Compare(paths[a], paths[b]));

        // Breadth-first over the sorted paths: a node is a range [from, to) of `order` sharing `depth` tokens.
        var token = new List<int> { -1 };
        var childStart = new List<int> { 0 };
        var childCount = new List<int> { 0 };
        var leaves = new List<long> { count };
        var candidate = new List<long> { -1 };
        MemScanException SharedPath(int a, int b) => new(explainSharedPath?.Invoke(a, b)
            ?? "two candidates share one token path: the tokenizer maps different candidates to the same tokens");
        var queue = new Queue<(int Node, int From, int To, int Depth)>();
        queue.Enqueue((0, 0, count, 0));
        while (queue.Count > 0)
        {
            var (node, from, to, depth) = queue.Dequeue();
            childStart[node] = token.Count;
            int i = from;
            while (i < to)
            {
                var path = paths[order[i]];
                // A node of several candidates where one path ends: a second one ending there too is the same path.
                if (path.Length <= depth && i + 1 < to && paths[order[i + 1]].Length == depth)
                    throw SharedPath(order[i], order[i + 1]);
                if (path.Length <= depth)
                    throw new MemScanException($"candidate token paths are not prefix-free (a {path.Length}-token candidate ends inside another); exact ranking needs fixed-length candidates");
                int t = path[depth], j = i + 1;
                while (j < to && paths[order[j]].Length > depth && paths[order[j]][depth] == t) j++;
                int child = token.Count;
                token.Add(t);
                childStart.Add(0);
                childCount.Add(0);
                leaves.Add(j - i);
                bool leaf = j - i == 1 && path.Length == depth + 1;
                candidate.Add(leaf ? order[i] : -1);
                if (!leaf) queue.Enqueue((child, i, j, depth + 1));
                else if (j - i > 1) throw SharedPath(order[i], order[i + 1]);
                i = j;
            }
            childCount[node] = token.Count - childStart[node];
        }
        return new ExplicitCandidateTrie(token.ToArray(), childStart.ToArray(), childCount.ToArray(), leaves.ToArray(), candidate.ToArray(),
            paths.Length == 0 ? 0 : paths.Max(p => p.Length));
    }

    static int Compare(int[] a, int[] b)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++) if (a[i] != b[i]) return a[i].CompareTo(b[i]);
        return a.Length.CompareTo(b.Length);
    }
}
