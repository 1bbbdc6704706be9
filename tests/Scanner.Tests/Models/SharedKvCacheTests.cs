using MemScan.Scanner.Models;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Tests.Onnx;
using Xunit;

namespace MemScan.Scanner.Tests.Models;

/// <summary>
/// Children share their prefix's key/value cache (each state keeps only the positions its run
/// added) and the batch's caches are gathered into reused input buffers: ranks, extraction order
/// and NLLs are bitwise those of whole copies and fresh arrays, float16 caches included; a graph
/// whose present is not its past with the new positions appended is caught and copied whole, with
/// the same answers as before; chains stay short; and the bytes counted per child are its own.
/// </summary>
public sealed class SharedKvCacheTests : IDisposable
{
    const int Vocab = 48;
    readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    /// <summary>The same model opened twice: caches shared and buffers reused (today's path), and whole copies into fresh arrays (before).</summary>
    (OnnxLanguageModel Shared, OnnxLanguageModel Copied) Pair(bool rewritePast = false, bool half = false)
    {
        string path = CacheSumOnnxModel.Write(_dir.File($"cache-{rewritePast}-{half}.onnx"), Vocab, rewritePast: rewritePast, half: half);
        var shared = OnnxLanguageModel.Open(path);
        var copied = OnnxLanguageModel.Open(path);
        copied.ShareCaches = false;
        copied.ReuseInputBuffers = false;
        return (shared, copied);
    }

    static long[] Bits(ExtractionOutcome o) => o.Extracted.Select(e => BitConverter.DoubleToInt64Bits(e.Nll)).ToArray();

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Shared_caches_rank_and_extract_bitwise_as_whole_copies(bool rewritePast, bool half)
    {
        var (shared, copied) = Pair(rewritePast, half);
        using var a = shared;
        using var b = copied;
        var trie = new UniformCandidateTrie([5, 6, 7, 8, 9, 10], 4);
        var answers = new List<(ExactRank Rank, ExtractionOutcome Extraction)>();
        foreach (var model in new[] { a, b })
        {
            model.MaxBatch = 50;
            var root = model.Advance([model.Initial], [[1, 2, 3]])[0];
            answers.Add((new ExactRankSearch(model, batch: 50).Rank(root, trie, 777, prune: false),
                new ExtractionSearch(model).Run(root, trie, 300, long.MaxValue)));
        }
        Assert.Equal(answers[1].Rank, answers[0].Rank);
        Assert.Equal(answers[1].Extraction.Extracted.Select(e => e.Candidate), answers[0].Extraction.Extracted.Select(e => e.Candidate));
        Assert.Equal(Bits(answers[1].Extraction), Bits(answers[0].Extraction));
        // A graph that rewrites its past is caught on its first run with a past, and copied whole from then on.
        Assert.Equal(!rewritePast, a.SharesCaches);
        Assert.False(b.SharesCaches);
    }

    [Fact]
    public void A_graph_whose_present_rewrites_its_past_gives_the_answers_of_whole_copies_token_by_token()
    {
        var (shared, copied) = Pair(rewritePast: true);
        using var a = shared;
        using var b = copied;
        int[][] prompts = [[1, 2], [3, 4], [5, 6]];
        float[][] LogProbs(OnnxLanguageModel model)
        {
            var states = model.Advance(Enumerable.Repeat(model.Initial, prompts.Length).ToArray(), prompts);
            var rows = new List<float>[prompts.Length];
            for (int r = 0; r < rows.Length; r++) rows[r] = [];
            for (int step = 0; step < 6; step++)
            {
                states = model.Advance(states, states.Select((_, r) => new[] { 7 + r + step }).ToArray());
                for (int r = 0; r < rows.Length; r++) rows[r].AddRange(states[r].NextLogProbs);
            }
            return rows.Select(r => r.ToArray()).ToArray();
        }
        var expected = LogProbs(b);
        Assert.Equal(expected.Select(r => r.Select(BitConverter.SingleToInt32Bits)), LogProbs(a).Select(r => r.Select(BitConverter.SingleToInt32Bits)));
        Assert.False(a.SharesCaches);
    }

    [Fact]
    public void A_long_sequence_flattens_its_chain_and_scores_bitwise_as_whole_copies()
    {
        var (shared, copied) = Pair();
        using var a = shared;
        using var b = copied;
        var tokens = Enumerable.Range(0, 3 * KvCacheLink.MaxDepth).Select(i => i % Vocab).ToArray();
        var nll = new List<int[]>();
        foreach (var model in new[] { a, b })
        {
            var state = model.Initial;
            var bits = new List<int>();
            foreach (int token in tokens)
            {
                state = model.Advance([state], [[token]])[0];
                bits.AddRange(state.NextLogProbs.Select(BitConverter.SingleToInt32Bits));
                if (model == a) Assert.InRange(state.Cache!.Depth, 1, KvCacheLink.MaxDepth);
            }
            nll.Add([.. bits]);
        }
        Assert.Equal(nll[1], nll[0]);
    }

    [Fact]
    public void A_child_is_counted_for_its_own_positions_and_a_let_go_parent_while_its_children_hold_it()
    {
        using var model = Pair().Shared;
        var root = model.Advance([model.Initial], [[1, 2, 3, 4, 5, 6, 7, 8]])[0];
        var children = model.Advance(Enumerable.Repeat(root, 10).ToArray(), Enumerable.Range(0, 10).Select(i => new[] { i }).ToArray());
        long perPosition = CacheSumOnnxModel.Width * sizeof(float);
        // Alone, a child keeps its whole chain alive: TensorBytes stays an upper bound.
        Assert.Equal(9 * perPosition, children[0].TensorBytes);
        Assert.Same(root.Cache, children[0].Cache!.Parent);

        var held = new HeldStateBytes();
        held.Pin(root);
        foreach (var child in children) Assert.Equal(perPosition, held.Add(child));
        Assert.Equal(10 * perPosition, held.Bytes);

        // A grandchild, then its parent let go: the parent's position stays counted while the grandchild holds it.
        var grandchild = model.Advance([children[0]], [[11]])[0];
        Assert.Equal(perPosition, held.Add(grandchild));
        Assert.Equal(0, held.Remove(children[0]));
        Assert.Equal(11 * perPosition, held.Bytes);
        Assert.Equal(2 * perPosition, held.Remove(grandchild));
        foreach (var child in children.Skip(1)) held.Remove(child);
        Assert.Equal(0, held.Bytes);
    }

    [Fact]
    public void The_exact_rank_walk_and_extraction_count_an_eighth_of_what_whole_copies_held()
    {
        var (shared, copied) = Pair();
        using var a = shared;
        using var b = copied;
        var trie = new UniformCandidateTrie([5, 6, 7, 8, 9, 10], 3);
        var peaks = new List<(long Walk, long Extraction)>();
        foreach (var model in new[] { a, b })
        {
            var root = model.Advance([model.Initial], [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]])[0];
            var walk = new ExactRankSearch(model, batch: 64);
            walk.Rank(root, trie, 100, prune: false);
            peaks.Add((walk.PeakHeldBytes, new ExtractionSearch(model).Run(root, trie, 100, long.MaxValue).PeakHeldBytes));
        }
        // Whole copies hold 15-16 positions a state; shared ones one each (and their parents' one).
        Assert.True(peaks[0].Walk * 8 <= peaks[1].Walk, $"walk: shared {peaks[0].Walk:N0} bytes, whole copies {peaks[1].Walk:N0}");
        Assert.True(peaks[0].Extraction * 8 <= peaks[1].Extraction, $"extraction: shared {peaks[0].Extraction:N0} bytes, whole copies {peaks[1].Extraction:N0}");
    }
}
