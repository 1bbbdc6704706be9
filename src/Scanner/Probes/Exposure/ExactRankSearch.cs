using MemScan.Scanner.Models;

namespace MemScan.Scanner.Probes.Exposure;

/// <summary>What exact enumeration found about one secret.</summary>
public sealed record ExactRank(
    double SecretNll,          // natural log, secret tokens only (the prefix is common to all)
    long Rank,                 // 1 + candidates with NLL <= the secret's (ties rank ahead)
    long LeavesScored,         // candidates whose NLL was computed
    long LeavesPruned,         // candidates proven worse without being scored
    long Queries);             // model rows run

/// <summary>
/// Exact rank of a secret among every candidate of its space, by walking the candidate tree from
/// the prefix state: each tree prefix is run through the model once (batched), and a subtree whose
/// partial NLL already exceeds the secret's is counted as worse without being entered (NLL only
/// grows along a path), which makes well-memorized secrets cheap to rank in huge spaces.
/// </summary>
public sealed class ExactRankSearch
{
    /// <summary>Scores within this many nats of the secret's are settled against its in-tree score,
    /// so batch-dependent float noise cannot flip a near-tie.</summary>
    const double Margin = 1e-3;

    readonly LanguageModel _model;
    readonly int _batch;

    public ExactRankSearch(LanguageModel model, int batch = 512)
    {
        _model = model;
        _batch = batch;
    }

    /// <summary>
    /// Most bytes of state tensors (KV caches, recurrent state) the walk may hold besides the
    /// root's. Why: the depth-first walk keeps about a batch of states per tree level while their
    /// children wait, ~1 MB each on a 124M GPT. The batch shrinks so that every level's batch
    /// fits: batch × (depth + 2) states of the largest size seen so far; ranks are unchanged (a
    /// smaller batch only splits the same rows into more runs). States kept by the isolated host
    /// count 0 here.
    /// </summary>
    public long MemoryBudget { get; init; } = long.MaxValue;

    /// <summary>Most state-tensor bytes the last <see cref="TryRank"/> held at once (counted, root excluded).</summary>
    public long PeakHeldBytes { get; private set; }

    /// <param name="root">State after the canary prefix (with next-token log-probs).</param>
    /// <param name="pruneAbove">Disable pruning with +inf, e.g. to time the full enumeration.</param>
    public ExactRank Rank(LmState root, CandidateTrie trie, long secretCandidate, bool prune = true,
        Action<long, long>? progress = null) =>
        TryRank(root, trie, secretCandidate, prune, long.MaxValue, progress)!;

    /// <summary>As <see cref="Rank"/>, but gives up (null) once more than <paramref name="maxQueries"/> model rows were run.</summary>
    public ExactRank? TryRank(LmState root, CandidateTrie trie, long secretCandidate, bool prune, long maxQueries,
        Action<long, long>? progress = null)
    {
        long queriesBefore = _model.Queries;
        var (secretLeaf, secretTokens) = trie.PathOf(secretCandidate);
        double target = PathNll(root, secretTokens);
        double pruneAt = prune ? target + Margin : double.PositiveInfinity;

        long surelyAhead = 0, scored = 0, pruned = 0;
        double secretInTree = double.NaN;
        var nearTies = new List<double>();
        // Depth-first over nodes still to run: each waits with its parent's state, and a batch is
        // taken off the top of the stack. Why not the states themselves on the stack: a node's
        // state is then made only when its turn comes, so the states held are those of a batch
        // per tree level (whose children still wait), not every child of a wide node at once.
        var stack = new Stack<(TrieNode Node, HeldState Parent, int Token, double Nll)>();
        // Held bytes, counted: states with children still waiting, and the states of the batch
        // just run, each shared cache link once (a parent's positions stay counted while its
        // children hold them); the root's are not counted.
        var held = new HeldStateBytes();
        held.Pin(root);
        // What one new state adds (its own positions when caches are shared); the root's whole
        // state stands in until a batch has been run.
        long largestState = 0;
        PeakHeldBytes = 0;
        int Batch()
        {
            long perState = largestState > 0 ? largestState : root.TensorBytes;
            return MemoryBudget == long.MaxValue || perState == 0 ? _batch
                : (int)Math.Clamp(MemoryBudget / ((trie.MaxDepth + 2) * perState), 1, _batch);
        }

        void Expand(TrieNode node, HeldState held, double nll)
        {
            var state = held.State;
            foreach (var (token, child) in trie.Children(node))
            {
                double childNll = nll - state.NextLogProb(token);
                if (childNll > pruneAt)
                {
                    pruned += trie.LeavesBelow(child);
                    trie.Release(child);
                    continue;
                }
                if (!trie.IsLeaf(child))
                {
                    stack.Push((child, held, token, childNll));
                    held.Waiting++;
                    continue;
                }
                scored++;
                if (child == secretLeaf) secretInTree = childNll;
                else if (childNll < target - Margin) surelyAhead++;
                else nearTies.Add(childNll);
            }
            trie.Release(node);
        }

        Expand(trie.Root, new HeldState(root), 0);
        var batch = new List<(TrieNode Node, HeldState Parent, int Token, double Nll)>();
        while (stack.Count > 0)
        {
            batch.Clear();
            for (int size = Batch(); batch.Count < size && stack.Count > 0;) batch.Add(stack.Pop());
            if (_model.Queries - queriesBefore + batch.Count > maxQueries)
            {
                // Given up: a tree that makes nodes on demand lets go of those still waiting.
                foreach (var item in batch.Concat(stack)) trie.Release(item.Node);
                return null;
            }
            // Each node's state is read only at its children's tokens (leaves included: a leaf's
            // NLL comes from its parent's row), so only those log-probs are asked for.
            var states = _model.Advance(batch.Select(p => p.Parent.State).ToArray(), batch.Select(p => new[] { p.Token }).ToArray(),
                batch.Select(p => trie.ChildTokens(p.Node)).ToArray());
            var made = states.Select(st => new HeldState(st)).ToArray();
            foreach (var m in made) largestState = Math.Max(largestState, held.Add(m.State));
            PeakHeldBytes = Math.Max(PeakHeldBytes, held.Bytes);
            foreach (var item in batch)
                if (--item.Parent.Waiting == 0 && item.Parent.State != root) held.Remove(item.Parent.State);
            for (int i = 0; i < batch.Count; i++)
            {
                Expand(batch[i].Node, made[i], batch[i].Nll);
                // A state none of whose children wait (leaves only, or all pruned) is let go now.
                if (made[i].Waiting == 0) held.Remove(made[i].State);
            }
            progress?.Invoke(scored + pruned, trie.CandidateCount);
        }
        if (double.IsNaN(secretInTree)) secretInTree = target; // cannot happen: the secret is never pruned
        long rank = 1 + surelyAhead + nearTies.Count(v => v <= secretInTree);
        return new ExactRank(secretInTree, rank, scored, pruned, _model.Queries - queriesBefore);
    }

    /// <summary>A state whose children wait on the stack.</summary>
    sealed class HeldState(LmState state)
    {
        public LmState State { get; } = state;
        public int Waiting { get; set; }
    }

    /// <summary>NLL of a token path from a state, one model row per step.</summary>
    public double PathNll(LmState root, int[] tokens)
    {
        var states = _model.Advance([root], [tokens], out var logProbs);
        _ = states;
        return -logProbs[0].Sum(v => (double)v);
    }
}
