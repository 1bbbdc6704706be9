using MemScan.Scanner.Models;
using MemScan.Scanner.Onnx;
using MemScan.Scanner.Scanning;
using MemScan.Scanner.Tests.Onnx;
using Xunit;

namespace MemScan.Scanner.Tests.Scanning;

public sealed class LmProfileTests : IDisposable
{
    readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    /// <summary>A stateful LM whose tensor names follow no convention MemScan guesses.</summary>
    string OddlyNamedModel()
    {
        const int vocab = 7;
        var random = new Random(3);
        var g = new OnnxGraphBuilder("odd");
        g.AddInput("tokens", OnnxElementType.Int64, "batch", "seq");
        g.AddInput("memory", OnnxElementType.Float, 1, "batch", 4);
        g.AddInitializer("table", Enumerable.Range(0, vocab * vocab).Select(_ => (float)random.NextDouble()).ToArray(), [vocab, vocab]);
        g.AddNode("Gather", ["table", "tokens"], ["scores"]);
        g.AddNode("Identity", ["memory"], ["memory_after"]);
        g.AddOutput("scores", OnnxElementType.Float, "batch", "seq", vocab);
        g.AddOutput("memory_after", OnnxElementType.Float, 1, "batch", 4);
        string path = _dir.File("odd.onnx");
        g.Save(path);
        return path;
    }

    [Fact]
    public void A_model_memscan_cannot_guess_runs_with_a_profile_naming_its_tensors()
    {
        string model = OddlyNamedModel();
        var guessed = Assert.Throws<MemScanException>(() => OnnxLanguageModel.Open(model));
        Assert.Contains("memory", guessed.Message);

        string profile = _dir.File("odd.profile.json");
        File.WriteAllText(profile, """{ "input_ids": "tokens", "logits": "scores", "state": [ { "input": "memory", "output": "memory_after" } ] }""");
        using var lm = OnnxLanguageModel.Open(model, LmProfile.Load(profile));
        Assert.True(lm.Incremental);
        var state = lm.Advance([lm.Initial], [[1, 2, 3]])[0];
        Assert.Equal(7, state.NextLogProbs.Length);
        Assert.Equal(4, state.Tensors[0].Length);
    }

    [Fact]
    public void A_malformed_profile_is_one_clear_error()
    {
        string profile = _dir.File("bad.json");
        File.WriteAllText(profile, """{ "input_ids": "tokens", "colour": "blue" }""");
        var e = Assert.Throws<MemScanException>(() => LmProfile.Load(profile));
        Assert.Contains("is not a language-model profile", e.Message);
    }

    [Fact]
    public void The_automatic_batch_shrinks_as_the_vocabulary_grows()
    {
        int chars = BatchPlanner.ForVocabulary(100), gpt2 = BatchPlanner.ForVocabulary(50_257);
        Assert.InRange(chars, 16, 1024);
        Assert.InRange(gpt2, 16, 1024);
        Assert.True(gpt2 <= chars);
    }
}
