using MemScan.Scanner.Isolation;
using MemScan.Scanner.Models;
using MemScan.Scanner.Tests.Models;
using MemScan.Scanner.Tests.Onnx;
using MemScan.Scanner.Tests.Sweeps;
using Xunit;

namespace MemScan.Scanner.Tests.Isolation;

/// <summary>
/// The isolated host keeps model states (LSTM h/c, KV caches) and the scanner holds handles: the
/// answers must still be exactly the in-process ones, on branching walks that reuse old states,
/// and states the probes drop must be released in the host.
/// </summary>
public sealed class HostedStateTests : IDisposable
{
    const int Vocab = 7;
    readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> StatefulModels => ["lstm", "kv-cache"];

    string Model(string kind) => kind == "lstm"
        ? TinyLstmOnnxModel.Write(_dir.File("lstm.onnx"), Vocab)
        : CacheSumOnnxModel.Write(_dir.File("cache.onnx"), Vocab);

    [Theory]
    [MemberData(nameof(StatefulModels))]
    public void A_branching_walk_through_the_host_answers_bitwise_as_in_process(string kind)
    {
        string path = Model(kind);
        using var inProcess = OnnxLanguageModel.Open(path);
        using var isolated = IsolatedLanguageModel.Open(path);
        Assert.True(isolated.Incremental);
        var a = Walk(inProcess);
        var b = Walk(isolated);
        Assert.Equal(a.Count, b.Count);
        for (int i = 0; i < a.Count; i++)
        {
            Assert.Equal(a[i].History, b[i].History);
            Assert.Equal(a[i].NextLogProbs, b[i].NextLogProbs);
            Assert.Empty(b[i].Tensors); // the state itself stayed in the host
        }
    }

    /// <summary>Prefix, three branches, each branch again, then the old prefix state once more; with per-token log-probs.</summary>
    static List<LmState> Walk(LanguageModel lm)
    {
        var seen = new List<LmState>();
        var root = lm.Advance([lm.Initial], [[1, 2, 3]], out var rootLogProbs)[0];
        seen.Add(root);
        var branches = lm.Advance([root, root, root], [[4], [5], [6]]);
        seen.AddRange(branches);
        var deeper = lm.Advance(branches, [[0, 1], [2, 3], [4, 5]], out var deeperLogProbs);
        seen.AddRange(deeper);
        var again = lm.Advance([root, deeper[1]], [[6], [0]]);
        seen.AddRange(again);
        // Per-token log-probs too (fold them into a fake state so one comparison covers everything).
        seen.Add(new LmState { History = [], Tensors = [], NextLogProbs = [.. rootLogProbs[0][1..], .. deeperLogProbs.SelectMany(r => r)] });
        return seen;
    }

    [Fact]
    public void States_the_scanner_drops_are_released_in_the_host()
    {
        using var isolated = IsolatedLanguageModel.Open(CacheSumOnnxModel.Write(_dir.File("cache.onnx"), Vocab));
        var kept = isolated.Advance([isolated.Initial], [[1, 2]])[0];
        Assert.True(Churn(isolated, kept) > 1);
        GC.Collect();
        var last = isolated.Advance([kept], [[3]])[0];
        // Only the kept prefix and the newest state are still alive; the host heard about the rest.
        Assert.InRange(isolated.LiveStates, 2, 3);
        isolated.Advance([last], [[4]]);
        Assert.InRange(isolated.HostHeldBytes, 1, 3 * 4 * (CacheSumOnnxModel.Width + 1) * 4);
        GC.KeepAlive(kept);
    }

    /// <summary>Makes and drops 1,000 states; its own frame, so no local keeps the last batch alive.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    static int Churn(IsolatedLanguageModel isolated, LmState from)
    {
        for (int round = 0; round < 20; round++)
            isolated.Advance(Enumerable.Repeat(from, 50).ToArray(), Enumerable.Range(0, 50).Select(i => new[] { i % Vocab }).ToArray());
        return isolated.LiveStates;
    }

    [Fact]
    public void A_host_past_its_state_limit_refuses_clearly_and_keeps_serving()
    {
        // A tiny LSTM state is (h + c + history) floats: a few hundred bytes hold a handful.
        using var isolated = IsolatedLanguageModel.Open(TinyLstmOnnxModel.Write(_dir.File("lstm.onnx"), Vocab), maxStateBytes: 1000);
        var e = Assert.Throws<MemScanException>(() =>
            isolated.Advance(Enumerable.Repeat(isolated.Initial, 40).ToArray(), Enumerable.Range(0, 40).Select(i => new[] { i % Vocab }).ToArray()));
        Assert.Contains("more than its limit of", e.Message);
        Assert.Contains("model states for 40 sequences", e.Message);
        var one = isolated.Advance([isolated.Initial], [[1, 2]])[0];
        Assert.Equal([1, 2], one.History);
    }

    [Fact]
    public void A_state_of_another_model_is_refused()
    {
        string path = Model("lstm");
        using var first = IsolatedLanguageModel.Open(path);
        using var second = IsolatedLanguageModel.Open(path);
        var state = first.Advance([first.Initial], [[1]])[0];
        var e = Assert.Throws<ArgumentException>(() => second.Advance([state], [[2]]));
        Assert.Contains("not made by this isolated model", e.Message);
    }

    [Fact]
    public void A_host_killed_after_states_were_made_fails_every_later_call_clearly()
    {
        using var isolated = IsolatedLanguageModel.Open(Model("kv-cache"));
        var state = isolated.Advance([isolated.Initial], [[1, 2]])[0];
        System.Diagnostics.Process.GetProcessById(isolated.ChildProcessId).Kill();
        var first = Assert.Throws<MemScanException>(() => isolated.Advance([state], [[3]]));
        Assert.Contains("was killed while running", first.Message);
        var second = Assert.Throws<MemScanException>(() => isolated.Advance([isolated.Initial], [[3]]));
        Assert.Equal(first.Message, second.Message);
    }
}
