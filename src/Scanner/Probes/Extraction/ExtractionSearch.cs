using MemScan.Scanner.Models;

namespace MemScan.Scanner.Probes.Exposure;

/// <summary>One completion that best-first search pulled out of the model, in order of likelihood.</summary>
/// <param name="QueriesSoFar">Model rows this search had run when the completion came out (batch-dependent).</param>
public sealed record ExtractedCandidate(long Candidate, int Order, double Nll, long QueriesSoFar)
{
    /// <summary>
    /// Model rows an exact best-first search expanding one node at a time runs before this
    /// completion comes out: the internal nodes that precede it in frontier order. What an attacker
    /// must spend, the same whatever batch size or memory budget the search ran with.
    /// </summary>
    public long RowsNeeded { get; init; }
}

public sealed record ExtractionOutcome(
    IReadOnlyList<ExtractedCandidate> Extracted,
    long? SecretOrder,          // 1-based position at which the secret came out; null if it did not
    long Queries,               // model rows run
    double BruteForceQueries,   // rows a brute-force scan of the space would run
    bool BudgetExhausted)
{
    /// <summary>Most state-tensor bytes the search held at once (counted, see <see cref="ExtractionSearch.MemoryBudget"/>).</summary>
    public long PeakHeldBytes { get; init; }
    /// <summary>Held states dropped to stay within the memory budget (each recomputed if its children were expanded).</summary>
    public long Evictions { get; init; }
    /// <summary>Model rows spent recomputing dropped states (included in <see cref="Queries"/>).</summary>
    public long RecomputedRows { get; init; }
}

/// <summary>
/// Shortest-path extraction (Dijkstra over the candidate tree with edge weight -log p(token)):
/// completions come out in exact order of model likelihood, and only the prefixes on the way are
/// evaluated. An attacker who knows the template but not the secret runs exactly this.
/// </summary>
/// <remarks>
/// Exactness with big batches: each model run expands the <see cref="ExtractionSearch(LanguageModel, int)"/>
/// batch's worth of cheapest internal frontier nodes, even those ranked behind a leaf. That is safe
/// because (1) edge weights -log p are ≥ 0, so every node below a frontier node costs at least as
/// much as it, and every not-yet-emitted leaf is on the frontier or below a frontier node; and (2) a
/// leaf is emitted only while it is the frontier's minimum. So an emitted leaf costs no more than any
/// leaf still to come, whichever internal nodes were expanded early: expanding early only adds
/// nodes that cost at least their parent, never changes a node's cost (it is its path's sum, fixed
/// by the tree), and never lets a leaf out of turn. Ties are broken by <see cref="FrontierOrder"/>
/// (internal nodes first, then the lower candidate), so the order is the same whatever was
/// expanded when (ExtractionSearchTests hold it against <see cref="BatchPastLeaves"/> = false).
/// </remarks>
public sealed class ExtractionSearch
{
    readonly LanguageModel _model;
    readonly int _batch;

    /// <param name="batch">Internal nodes expanded per model run; 0 or less: the model's <see cref="LanguageModel.MaxBatch"/>.</param>
    public ExtractionSearch(LanguageModel model, int batch = 0)
    {
        _model = model;
        _batch = batch > 0 ? batch : model.MaxBatch;
    }

    /// <summary>
    /// True (default): a batch takes the cheapest internal frontier nodes, passing over leaves in
    /// between. False: the search before issue 20, whose batch stopped at the first leaf (batches of
    /// a few rows on a tree of many leaves); kept only for the bench's before/after and the test
    /// that both give the same completions.
    /// </summary>
    public bool BatchPastLeaves { get; init; } = true;

    /// <summary>
    /// Most bytes of state tensors (KV caches, recurrent state) the frontier may hold; the root's
    /// are not counted. Why: every expanded node's cache stays alive while one of its children
    /// waits in the frontier, which on a 124M GPT is ~1 MB a node and grew past the machine's
    /// memory. Over half the budget the states whose children are least likely (highest NLL) are
    /// dropped down to a quarter (the other half is room for a batch) and recomputed token by token from the root when one of
    /// their children is expanded: the same single-token runs that made them, so the completions
    /// are those of an unbounded search (BatchedExtractionTests hold it). A batch also shrinks
    /// so its own new states fit. States kept by the isolated host count 0 here.
    /// </summary>
    public long MemoryBudget { get; init; } = long.MaxValue;

    /// <param name="stopAtCandidate">Stop once this candidate (the known secret) comes out.</param>
    public ExtractionOutcome Run(LmState root, CandidateTrie trie, int maxCompletions, long maxQueries,
        long? stopAtCandidate = null)
    {
        long queriesBefore = _model.Queries;
        var extracted = new List<ExtractedCandidate>();
        long? secretOrder = null;
        // Frontier entries are children whose parent state is known; a child's own state is
        // computed only when it is popped (lazily), in batches of the cheapest internal nodes.
        var frontier = new PriorityQueue<Entry, FrontierOrder>(FrontierOrder.Comparer);
        var held = new HeldStates(root, MemoryBudget);
        Expand(frontier, trie, trie.Root, held.Root, 0);
        trie.Release(trie.Root);
        bool exhausted = false;
        var batch = new List<(Entry Item, FrontierOrder Order)>();
        // Expanded nodes not yet counted as needed: a completion needs every one that precedes it.
        var expanded = new PriorityQueue<FrontierOrder, FrontierOrder>(FrontierOrder.Comparer);
        long needed = 0;
        var passedLeaves = new List<(Entry Item, FrontierOrder Order)>();

        while (frontier.Count > 0 && extracted.Count < maxCompletions)
        {
            long used = _model.Queries - queriesBefore;
            if (used >= maxQueries) { exhausted = true; break; }
            frontier.TryPeek(out var top, out var topOrder);
            if (topOrder.Leaf)
            {
                frontier.Dequeue();
                long candidate = trie.CandidateOf(top.Node);
                while (expanded.TryPeek(out var earlier, out _) && FrontierOrder.Comparer.Compare(earlier, topOrder) < 0)
                {
                    expanded.Dequeue();
                    needed++;
                }
                extracted.Add(new ExtractedCandidate(candidate, extracted.Count + 1, topOrder.Nll, used) { RowsNeeded = needed });
                if (candidate == stopAtCandidate) { secretOrder = extracted.Count; break; }
                continue;
            }
            // The cheapest internal nodes, run together. Leaves passed over go back unchanged; how
            // many are passed is bounded so a frontier of many leaves costs no more than the batch.
            int size = BatchPastLeaves ? (int)Math.Min(held.BatchWithin(_batch), Math.Max(1, maxQueries - used)) : held.BatchWithin(_batch);
            batch.Clear();
            passedLeaves.Clear();
            while (batch.Count < size && passedLeaves.Count < 4 * size && frontier.TryPeek(out var next, out var nextOrder))
            {
                if (nextOrder.Leaf && !BatchPastLeaves) break;
                frontier.Dequeue();
                (nextOrder.Leaf ? passedLeaves : batch).Add((next, nextOrder));
            }
            foreach (var (item, order) in passedLeaves) frontier.Enqueue(item, order);
            held.Restore(_model, batch.Select(b => b.Item.Parent));
            // A popped node's state is read only at its children's tokens (Expand), so only those are asked for.
            var states = _model.Advance(batch.Select(b => b.Item.Parent.State!).ToArray(), batch.Select(b => new[] { b.Item.Token }).ToArray(),
                batch.Select(b => trie.ChildTokens(b.Item.Node)).ToArray());
            foreach (var (item, order) in batch)
            {
                held.Release(item.Parent);
                expanded.Enqueue(order, order);
            }
            for (int i = 0; i < batch.Count; i++)
            {
                Expand(frontier, trie, batch[i].Item.Node, held.Add(states[i]), batch[i].Order.Nll);
                trie.Release(batch[i].Item.Node);
            }
            held.Trim();
        }
        // A tree that makes nodes on demand lets go of those left on the frontier.
        foreach (var (item, _) in frontier.UnorderedItems) trie.Release(item.Node);
        return new ExtractionOutcome(extracted, secretOrder, _model.Queries - queriesBefore, trie.CandidateCount, exhausted)
        {
            PeakHeldBytes = held.PeakBytes,
            Evictions = held.Evictions,
            RecomputedRows = held.RecomputedRows,
        };
    }

    readonly record struct Entry(TrieNode Node, HeldState Parent, int Token);

    static void Expand(PriorityQueue<Entry, FrontierOrder> frontier, CandidateTrie trie, TrieNode node, HeldState parent, double nll)
    {
        var state = parent.State!;
        double best = double.PositiveInfinity;
        foreach (var (token, child) in trie.Children(node))
        {
            bool leaf = trie.IsLeaf(child);
            double childNll = nll - state.NextLogProb(token);
            frontier.Enqueue(new Entry(child, parent, token),
                new FrontierOrder(childNll, leaf, leaf ? trie.CandidateOf(child) : child.Index, child.Depth));
            // Only internal children ever need the state again (a leaf's NLL is already known).
            if (!leaf)
            {
                parent.Waiting++;
                best = Math.Min(best, childNll);
            }
        }
        parent.BestWaitingNll = best;
    }

    /// <summary>
    /// A frontier node's place: its NLL, then, on equal NLLs, internal nodes before leaves (a tie
    /// below may then still surface before the leaf is emitted) and the lower candidate (or
    /// depth, then index) first. Why a total order: a heap's order among equal priorities depends
    /// on what was inserted when, so without it tied completions would come out in an order that
    /// depends on the batch size.
    /// </summary>
    readonly record struct FrontierOrder(double Nll, bool Leaf, long Key, int Depth)
    {
        public static readonly IComparer<FrontierOrder> Comparer = Comparer<FrontierOrder>.Create((a, b) =>
        {
            int c = a.Nll.CompareTo(b.Nll);
            if (c != 0) return c;
            if (a.Leaf != b.Leaf) return a.Leaf ? 1 : -1;
            c = a.Depth.CompareTo(b.Depth);
            return c != 0 ? c : a.Key.CompareTo(b.Key);
        });
    }
}
