using MemScan.Scanner.Models;
using MemScan.Scanner.Onnx;
using MemScan.Scanner.Tests.Onnx;
using Xunit;

namespace MemScan.Scanner.Tests.Models;

/// <summary>
/// The ONNX language-model adapter on hand-built graphs with GPT-2 style I/O whose outputs expose
/// what was fed: the "key cache" stores the token ids themselves, and the logits peak at
/// position_ids mod 4.
/// </summary>
public sealed class OnnxLanguageModelTests : IDisposable
{
    const int Vocab = 4;
    readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    string EchoModel(bool extraInput = false)
    {
        var g = new OnnxGraphBuilder("echo_cache");
        g.AddInput("input_ids", OnnxElementType.Int64, "batch", "seq");
        g.AddInput("attention_mask", OnnxElementType.Int64, "batch", "total");
        g.AddInput("position_ids", OnnxElementType.Int64, "batch", "seq");
        g.AddInput("past_key_values.0.key", OnnxElementType.Float, "batch", 1, "past", 1);
        if (extraInput) g.AddInput("token_type_ids", OnnxElementType.Int64, "batch", "seq");
        var ids = g.Apply("Cast", ["input_ids"], OnnxAttribute.Int("to", (long)OnnxElementType.Float));
        var asKeys = g.Apply("Reshape", [ids, g.Constant("shape", new long[] { 0, 1, -1, 1 }, [4])]);
        g.AddNode("Concat", ["past_key_values.0.key", asKeys], ["present.0.key"], OnnxAttribute.Int("axis", 2));
        var table = new float[Vocab * Vocab];
        for (int i = 0; i < Vocab; i++) table[i * Vocab + i] = 10;
        g.AddInitializer("table", table, [Vocab, Vocab]);
        var position = g.Apply("Mod", ["position_ids", g.Constant("four", new long[] { Vocab }, [])]);
        g.AddNode("Gather", ["table", position], ["logits"]);
        g.AddOutput("logits", OnnxElementType.Float, "batch", "seq", Vocab);
        g.AddOutput("present.0.key", OnnxElementType.Float, "batch", 1, "total", 1);
        string path = _dir.File(extraInput ? "extra.onnx" : "echo.onnx");
        g.Save(path);
        return path;
    }

    [Fact]
    public void Past_key_values_grow_with_the_history_and_position_ids_count_from_it()
    {
        using var lm = OnnxLanguageModel.Open(EchoModel());
        Assert.True(lm.Incremental);
        Assert.Equal("incremental, 1 growing key/value cache tensor(s), attention_mask, position_ids", lm.Mode);

        var states = lm.Advance([lm.Initial, lm.Initial], [[1, 2, 3], [3, 0, 1]]);
        states = lm.Advance(states, [[2], [0]]);
        states = lm.Advance(states, [[1, 1], [2, 3]]);
        Assert.Equal([1, 2, 3, 2, 1, 1], states[0].History);
        Assert.Equal([3, 0, 1, 0, 2, 3], states[1].History);
        foreach (var s in states)
        {
            // The per-sequence cache slice is [heads=1, history, 1]: here the ids themselves, each
            // run's positions in its own link (the state keeps the last run's, its parents the rest).
            var chain = new List<float[]>();
            for (var link = s.Cache; link is not null; link = link.Parent) chain.Insert(0, (float[])link.Own[0]);
            Assert.Same(s.Tensors[0], chain[^1]);
            Assert.Equal(s.History.Select(i => (float)i), chain.SelectMany(c => c));
            Assert.Equal((s.History.Length - 1) % Vocab, Array.IndexOf(s.NextLogProbs, s.NextLogProbs.Max()));
        }
    }

    [Fact]
    public void An_input_it_cannot_feed_is_named_with_all_the_graph_inputs()
    {
        var e = Assert.Throws<MemScanException>(() => OnnxLanguageModel.Open(EchoModel(extraInput: true)));
        Assert.Contains("does not know what to feed input(s) token_type_ids", e.Message);
        Assert.Contains("inputs are input_ids: int64[batch, seq], attention_mask", e.Message);
    }
}
