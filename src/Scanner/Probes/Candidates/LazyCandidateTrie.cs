using MemScan.Scanner.Canaries;
using MemScan.Scanner.Tokenizers;

namespace MemScan.Scanner.Probes.Exposure;

/// <summary>
/// The candidate tree of a large space under a subword tokenizer, expanded only where a search
/// asks: a node's children come from one streaming pass over the candidates that can lie below
/// it, and nothing is stored per candidate. Memory is that of the nodes a search holds, not of
/// the space, so 10^8 GPT-2-tokenized candidates fit where <see cref="ExplicitCandidateTrie"/>
/// would need ~6 GB.
/// </summary>
/// <remarks>
/// Why a node's candidates are a short index range: a candidate's tokens (prefix and candidate
/// encoded together) start with the node's path P, so its text starts with decode(P); past the
/// prefix that fixes its first characters, and in a product space enumerated in index order the
/// candidates with given first characters are one contiguous range. The pass over a node records,
/// per next token, the lowest and highest index seen; that hull is where the child's own pass
/// looks (a superset of its candidates: each is re-checked against the child's path, so a path
/// that ends mid-character or a prefix merged across the boundary cannot mislead it).
/// The root's children need a pass over the whole space (one encoding per candidate), also to
/// find the tree's root tokens: the fewest prefix tokens any candidate's encoding keeps.
/// Leaves store nothing: a leaf's <see cref="TrieNode.Index"/> is its candidate; internal nodes
/// have negative indices, held until <see cref="Release"/>. Two candidates with one path are
/// found only in nodes a search expands (a pruned subtree is worse than the secret anyway).
/// Not thread-safe: one search at a time.
/// </remarks>
public sealed class LazyCandidateTrie : CandidateTrie
{
    sealed class Node(int[] path, long from, long to, long leaves)
    {
        public int[] Path { get; } = path;
        public long From { get; } = from;
        public long To { get; } = to;
        public long Leaves { get; } = leaves;
        public int[]? Tokens { get; set; }
        public TrieNode[]? Children { get; set; }
        public long Bytes => 48 + 24 + 4L * Path.Length + (Tokens is null ? 0 : 48 + 20L * Tokens.Length);
    }

    /// <summary>Key of the root pass's group of candidates whose encoding ends inside the prefix's tokens.</summary>
    const long EndsInsidePath = -1;

    readonly ITextTokenizer _tokenizer;
    readonly string _prefix;
    readonly RandomnessSpace _space;
    readonly int[] _rootTokens;
    readonly Func<long, long, string>? _explainSharedPath;
    readonly Node _root;
    readonly Dictionary<long, Node> _nodes = [];
    long _nextId = 1;
    long _heldBytes;

    LazyCandidateTrie(ITextTokenizer tokenizer, string prefix, RandomnessSpace space, int[] rootTokens, Node root, int maxDepth,
        Func<long, long, string>? explainSharedPath)
    {
        (_tokenizer, _prefix, _space, _rootTokens, _root, _explainSharedPath) = (tokenizer, prefix, space, rootTokens, root, explainSharedPath);
        MaxDepth = maxDepth;
    }

    /// <summary>The prefix tokens the tree hangs from (the model state a search starts at).</summary>
    public int[] RootTokens => _rootTokens;
    public override long CandidateCount => _root.Leaves;
    public override int MaxDepth { get; }
    /// <summary>Internal nodes held now (expanded or waiting) below the root's children.</summary>
    public int HeldNodes => _nodes.Count - _root.Children!.Count(c => !IsLeaf(c));
    /// <summary>Most bytes the held nodes took at once (counted as <see cref="ApproximateBytes"/>).</summary>
    public long PeakHeldBytes { get; private set; }
    /// <summary>Candidates encoded by the passes so far, the root's included: what the tree has cost.</summary>
    public long CandidatesEncoded { get; private set; }
    public override long ApproximateBytes => _root.Bytes + _heldBytes;

    public override bool IsLeaf(TrieNode node) => node.Depth > 0 && node.Index >= 0;
    public override long CandidateOf(TrieNode leaf) => IsLeaf(leaf) ? leaf.Index : throw new ArgumentException("not a leaf", nameof(leaf));
    public override long LeavesBelow(TrieNode node) => IsLeaf(node) ? 1 : NodeOf(node).Leaves;

    public override IEnumerable<(int Token, TrieNode Child)> Children(TrieNode node)
    {
        var n = Expanded(node);
        return n.Tokens!.Zip(n.Children!);
    }

    public override int[] ChildTokens(TrieNode node) => Expanded(node).Tokens!;

    /// <summary>
    /// Lets go of an internal node (its children stay until released themselves). The root's
    /// children are the entry to the tree for the next search (the scan's probes share it), so
    /// they only let go of their own children's list, made again by a pass if asked.
    /// </summary>
    public override void Release(TrieNode node)
    {
        if (node.Depth == 0 || IsLeaf(node) || !_nodes.TryGetValue(-node.Index, out var n)) return;
        _heldBytes -= n.Bytes;
        if (node.Depth > 1) _nodes.Remove(-node.Index);
        else
        {
            (n.Tokens, n.Children) = (null, null);
            _heldBytes += n.Bytes;
        }
    }

    public override (TrieNode Leaf, int[] Tokens) PathOf(long candidate)
    {
        if (candidate < 0 || candidate >= CandidateCount) throw new ArgumentOutOfRangeException(nameof(candidate));
        var encoding = _tokenizer.Encode(_prefix + _space.At(candidate));
        if (!encoding.AsSpan().StartsWith(_rootTokens) || encoding.Length == _rootTokens.Length)
            throw new InvalidOperationException("a candidate's encoding does not continue the tree's root tokens");
        var path = encoding[_rootTokens.Length..];
        return (new TrieNode(path.Length, candidate), path);
    }

    /// <summary>
    /// The tree of <paramref name="space"/> after <paramref name="prefix"/>: one pass over the whole
    /// space finds the root tokens and the root's children. <paramref name="explainSharedPath"/>
    /// words the refusal when two candidates get one token path.
    /// </summary>
    /// <param name="progress">Reports of the root pass, every <see cref="CandidateRangePass.ProgressEvery"/> (10^8 GPT-2 candidates take minutes).</param>
    public static LazyCandidateTrie Build(ITextTokenizer tokenizer, string prefix, RandomnessSpace space,
        Func<long, long, string>? explainSharedPath = null, CandidateRangePass.Progress? progress = null, TimeSpan? reportEvery = null)
    {
        var prefixIds = tokenizer.Encode(prefix);
        long size = checked((long)space.Size);
        // Key: how many prefix tokens the encoding keeps (s), and the token after them (+1, so a
        // missing one is 0). The root is the smallest s; candidates keeping more share its next prefix token.
        var groups = CandidateRangePass.Run(tokenizer, prefix, space, 0, size, encoding =>
        {
            int s = CommonPrefix(prefixIds, encoding);
            return (((long)s << 32) | (uint)(s < encoding.Length ? encoding[s] + 1 : 0), encoding.Length == s + 1);
        }, progress, reportEvery);
        int root = groups.Count == 0 ? 0 : groups.Keys.Min(k => (int)(k >> 32));
        if (root == 0)
            throw new MemScanException("the tokenizer merges the whole prefix into the candidates; nothing left to condition on");
        var children = new Dictionary<long, CandidateGroup>();
        foreach (var (key, group) in groups)
        {
            int s = (int)(key >> 32), next = (int)(key & 0xFFFFFFFF) - 1;
            if (s > root)
            {
                // These keep the next prefix token too: their paths go on past it, none ends there.
                group.Ends = 0;
                group.FirstEnding = group.SecondEnding = -1;
                next = prefixIds[root];
            }
            long childKey = next < 0 ? EndsInsidePath : next;
            if (children.TryGetValue(childKey, out var existing)) existing.Merge(group);
            else children[childKey] = group;
        }
        int maxDepth = groups.Values.Max(g => g.LongestEncoding) - root;
        var trie = new LazyCandidateTrie(tokenizer, prefix, space, prefixIds[..root], new Node([], 0, size, size), maxDepth, explainSharedPath)
        {
            CandidatesEncoded = size,
        };
        trie.Attach(trie._root, 0, children);
        return trie;
    }

    Node NodeOf(TrieNode node)
    {
        if (node.Depth == 0) return _root;
        return _nodes.TryGetValue(-node.Index, out var n) ? n
            : throw new InvalidOperationException($"node {node} of the lazy candidate tree was released or never made");
    }

    Node Expanded(TrieNode node)
    {
        if (IsLeaf(node)) throw new ArgumentException("a leaf has no children", nameof(node));
        var n = NodeOf(node);
        if (n.Tokens is not null) return n;
        // Candidates of this node: encoding = root tokens + path + next token + ...
        int at = _rootTokens.Length + n.Path.Length;
        var rootTokens = _rootTokens;
        var path = n.Path;
        var groups = CandidateRangePass.Run(_tokenizer, _prefix, _space, n.From, n.To, encoding =>
        {
            var span = encoding.AsSpan();
            if (span.Length < at || !span.StartsWith(rootTokens) || !span[rootTokens.Length..at].SequenceEqual(path)) return null;
            return (span.Length == at ? EndsInsidePath : span[at], span.Length == at + 1);
        });
        CandidatesEncoded += n.To - n.From;
        _heldBytes -= n.Bytes;
        Attach(n, node.Depth, groups);
        return n;
    }

    /// <summary>Makes a node's children from its pass's groups (keyed by next token), in token order as the explicit tree has them.</summary>
    void Attach(Node parent, int depth, Dictionary<long, CandidateGroup> groups)
    {
        if (groups.ContainsKey(EndsInsidePath))
            throw new MemScanException("candidate token paths are not prefix-free (a candidate ends inside another's tokens); exact ranking needs fixed-length candidates");
        var tokens = groups.Keys.Select(k => (int)k).Order().ToArray();
        var children = new TrieNode[tokens.Length];
        for (int c = 0; c < tokens.Length; c++)
        {
            var g = groups[tokens[c]];
            if (g.Ends >= 2)
                throw new MemScanException(_explainSharedPath?.Invoke(g.FirstEnding, g.SecondEnding)
                    ?? "two candidates share one token path: the tokenizer maps different candidates to the same tokens");
            if (g.Ends == 1 && g.Count > 1)
                throw new MemScanException("candidate token paths are not prefix-free (a candidate ends inside another's tokens); exact ranking needs fixed-length candidates");
            if (g.Ends == 1)
            {
                children[c] = new TrieNode(depth + 1, g.FirstEnding);
                continue;
            }
            long id = _nextId++;
            var child = new Node([.. parent.Path, tokens[c]], g.Min, g.Max + 1, g.Count);
            _nodes[id] = child;
            _heldBytes += child.Bytes;
            children[c] = new TrieNode(depth + 1, -id);
        }
        parent.Tokens = tokens;
        parent.Children = children;
        if (parent != _root) _heldBytes += parent.Bytes;
        PeakHeldBytes = Math.Max(PeakHeldBytes, _heldBytes);
    }

    static int CommonPrefix(int[] prefix, int[] full)
    {
        int k = 0, max = Math.Min(prefix.Length, full.Length);
        while (k < max && prefix[k] == full[k]) k++;
        return k;
    }
}
