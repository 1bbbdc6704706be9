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
    /// root's. Why: the depth-first walk keeps up to a batch of states per tree level, ~1 MB each
    /// on a 124M GPT. The batch shrinks so that every level's batch fits: batch × (depth + 2)
    /// states of the largest size seen so far; ranks are unchanged (a smaller batch only splits
    /// the same rows into more runs). States kept by the isolated host count 0 here.
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
        var stack = new Stack<(TrieNode Node, LmState State, double Nll)>();
        var pending = new List<(TrieNode Node, LmState Parent, int Token, double Nll)>();
        stack.Push((trie.Root, root, 0));
        // Held bytes, counted: states on the stack (not the root's) and popped states whose children wait in pending.
        long stackBytes = 0, pendingParentBytes = 0, largestState = root.TensorBytes;
        PeakHeldBytes = 0;
        int Batch() => MemoryBudget == long.MaxValue || largestState == 0 ? _batch
            : (int)Math.Clamp(MemoryBudget / ((trie.MaxDepth + 2) * largestState), 1, _batch);
        int batch = Batch();

        while (stack.Count > 0 || pending.Count > 0)
        {
            if (pending.Count >= batch || (stack.Count == 0 && pending.Count > 0))
            {
                if (_model.Queries - queriesBefore + pending.Count > maxQueries) return null;
                // Each node's state is read only at its children's tokens (leaves included: a leaf's
                // NLL comes from its parent's row), so only those log-probs are asked for.
                var states = _model.Advance(pending.Select(p => p.Parent).ToArray(), pending.Select(p => new[] { p.Token }).ToArray(),
                    pending.Select(p => trie.ChildTokens(p.Node)).ToArray());
                long newBytes = 0;
                for (int i = 0; i < pending.Count; i++)
                {
                    stack.Push((pending[i].Node, states[i], pending[i].Nll));
                    long bytes = states[i].TensorBytes;
                    newBytes += bytes;
                    largestState = Math.Max(largestState, bytes);
                }
                PeakHeldBytes = Math.Max(PeakHeldBytes, stackBytes + pendingParentBytes + newBytes);
                stackBytes += newBytes;
                pendingParentBytes = 0;
                pending.Clear();
                batch = Batch();
                progress?.Invoke(scored + pruned, trie.CandidateCount);
                continue;
            }
            var (node, state, nll) = stack.Pop();
            long stateBytes = node == trie.Root ? 0 : state.TensorBytes;
            stackBytes -= stateBytes;
            int pendingBefore = pending.Count;
            foreach (var (token, child) in trie.Children(node))
            {
                double childNll = nll - state.NextLogProb(token);
                if (childNll > pruneAt)
                {
                    pruned += trie.LeavesBelow(child);
                    continue;
                }
                if (!trie.IsLeaf(child))
                {
                    pending.Add((child, state, token, childNll));
                    continue;
                }
                scored++;
                if (child == secretLeaf) secretInTree = childNll;
                else if (childNll < target - Margin) surelyAhead++;
                else nearTies.Add(childNll);
            }
            if (pending.Count > pendingBefore) pendingParentBytes += stateBytes;
        }
        if (double.IsNaN(secretInTree)) secretInTree = target; // cannot happen: the secret is never pruned
        long rank = 1 + surelyAhead + nearTies.Count(v => v <= secretInTree);
        return new ExactRank(secretInTree, rank, scored, pruned, _model.Queries - queriesBefore);
    }

    /// <summary>NLL of a token path from a state, one model row per step.</summary>
    public double PathNll(LmState root, int[] tokens)
    {
        var states = _model.Advance([root], [tokens], out var logProbs);
        _ = states;
        return -logProbs[0].Sum(v => (double)v);
    }
}
