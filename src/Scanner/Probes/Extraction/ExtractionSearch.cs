using MemScan.Scanner.Models;

namespace MemScan.Scanner.Probes.Exposure;

/// <summary>One completion that best-first search pulled out of the model, in order of likelihood.</summary>
public sealed record ExtractedCandidate(long Candidate, int Order, double Nll, long QueriesSoFar);

public sealed record ExtractionOutcome(
    IReadOnlyList<ExtractedCandidate> Extracted,
    long? SecretOrder,          // 1-based position at which the secret came out; null if it did not
    long Queries,               // model rows run
    double BruteForceQueries,   // rows a brute-force scan of the space would run
    bool BudgetExhausted);

/// <summary>
/// Shortest-path extraction (Dijkstra over the candidate tree with edge weight -log p(token)):
/// completions come out in exact order of model likelihood, and only the prefixes on the way are
/// evaluated. An attacker who knows the template but not the secret runs exactly this.
/// </summary>
public sealed class ExtractionSearch
{
    readonly LanguageModel _model;
    readonly int _batch;

    public ExtractionSearch(LanguageModel model, int batch = 64)
    {
        _model = model;
        _batch = batch;
    }

    /// <param name="stopAtCandidate">Stop once this candidate (the known secret) comes out.</param>
    public ExtractionOutcome Run(LmState root, CandidateTrie trie, int maxCompletions, long maxQueries,
        long? stopAtCandidate = null)
    {
        long queriesBefore = _model.Queries;
        var extracted = new List<ExtractedCandidate>();
        long? secretOrder = null;
        // Frontier entries are children whose parent state is known; a child's own state is
        // computed only when it is popped (lazily), in batches of the cheapest internal nodes.
        var frontier = new PriorityQueue<(TrieNode Node, LmState Parent, int Token), double>();
        Expand(frontier, trie, trie.Root, root, 0);
        bool exhausted = false;

        while (frontier.Count > 0 && extracted.Count < maxCompletions)
        {
            if (_model.Queries - queriesBefore >= maxQueries) { exhausted = true; break; }
            frontier.TryPeek(out var top, out double topNll);
            if (trie.IsLeaf(top.Node))
            {
                frontier.Dequeue();
                long candidate = trie.CandidateOf(top.Node);
                extracted.Add(new ExtractedCandidate(candidate, extracted.Count + 1, topNll, _model.Queries - queriesBefore));
                if (candidate == stopAtCandidate) { secretOrder = extracted.Count; break; }
                continue;
            }
            // Pop up to _batch internal nodes in likelihood order (stopping at the first leaf so
            // completions still come out in exact order) and run them together.
            var batch = new List<((TrieNode Node, LmState Parent, int Token) Item, double Nll)>();
            while (batch.Count < _batch && frontier.TryPeek(out var next, out double nextNll) && !trie.IsLeaf(next.Node))
            {
                frontier.Dequeue();
                batch.Add((next, nextNll));
            }
            // A popped node's state is read only at its children's tokens (Expand), so only those are asked for.
            var states = _model.Advance(batch.Select(b => b.Item.Parent).ToArray(), batch.Select(b => new[] { b.Item.Token }).ToArray(),
                batch.Select(b => trie.ChildTokens(b.Item.Node)).ToArray());
            for (int i = 0; i < batch.Count; i++) Expand(frontier, trie, batch[i].Item.Node, states[i], batch[i].Nll);
        }
        return new ExtractionOutcome(extracted, secretOrder, _model.Queries - queriesBefore,
            trie.CandidateCount, exhausted);
    }

    static void Expand(PriorityQueue<(TrieNode, LmState, int), double> frontier, CandidateTrie trie, TrieNode node, LmState state, double nll)
    {
        foreach (var (token, child) in trie.Children(node))
            frontier.Enqueue((child, state, token), nll - state.NextLogProb(token));
    }
}
