using MemScan.Scanner.Isolation;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Models;
using MemScan.Scanner.Scanning;
using MemScan.Scanner.Tests.Onnx;
using Xunit;

namespace MemScan.Scanner.Tests.Models;

/// <summary>
/// A language model's context: read from io.context or from the position table in the graph,
/// carried across the model host, and enforced by Advance before ONNX Runtime sees the feed.
/// </summary>
public sealed class ModelContextTests : IDisposable
{
    const int Vocab = 6, Context = 8;
    readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    string Model() => PositionTableOnnxModel.Write(_dir.File("positions.onnx"), Vocab, Context);

    [Fact]
    public void The_context_is_read_from_the_position_table_behind_a_cast_and_a_reshape()
    {
        using var lm = OnnxLanguageModel.Open(Model());
        Assert.Equal(Context, lm.MaxSequenceLength);
        Assert.Equal($"position table wpe [{Context}, {Vocab}]", lm.MaxSequenceLengthSource);
        Assert.Contains($"context {Context} tokens", lm.Mode);
    }

    [Fact]
    public void Io_context_wins_over_the_graph_and_a_model_without_positions_has_none()
    {
        using (var lm = OnnxLanguageModel.Open(Model(), new LmIoSpec { Context = 5 }))
        {
            Assert.Equal(5, lm.MaxSequenceLength);
            Assert.Equal("io.context", lm.MaxSequenceLengthSource);
        }
        using var bigram = OnnxLanguageModel.Open(BigramOnnxModel.Write(_dir.File("bigram.onnx"), Vocab));
        Assert.Null(bigram.MaxSequenceLength);
    }

    [Fact]
    public void Advance_past_the_context_is_refused_with_the_model_and_both_lengths_not_onnx_runtimes_gather_error()
    {
        string path = Model();
        using var lm = OnnxLanguageModel.Open(path);
        var full = lm.Advance([lm.Initial], [new int[Context]])[0]; // exactly the context fits
        Assert.Equal(Context, full.History.Length);

        var e = Assert.Throws<MemScanException>(() => lm.Advance([lm.Initial], [new int[Context + 1]]));
        Assert.Equal($"{path}: cannot feed {Context + 1} token(s) after 0: {Context + 1} tokens exceed the model's context of {Context} tokens " +
                     $"(from position table wpe [{Context}, {Vocab}])", e.Message);
        Assert.DoesNotContain("ONNX Runtime", e.Message);

        // the limit is real: told a larger context, the model gets past the check and ONNX Runtime fails
        using (var misdescribed = OnnxLanguageModel.Open(path, new LmIoSpec { Context = 100 }))
            Assert.Contains("ONNX Runtime", Assert.Throws<MemScanException>(() => misdescribed.Advance([misdescribed.Initial], [new int[Context + 1]])).Message);

        var six = lm.Advance([lm.Initial], [new int[6]])[0];
        e = Assert.Throws<MemScanException>(() => lm.Advance([six], [[1, 2, 3]]));
        Assert.Contains($"cannot feed 3 token(s) after 6: 9 tokens exceed the model's context of {Context}", e.Message);
    }

    [Fact]
    public void An_isolated_model_reports_the_context_its_host_read_and_refuses_on_this_side()
    {
        string path = Model();
        using var isolated = IsolatedLanguageModel.Open(path);
        Assert.Equal(Context, isolated.MaxSequenceLength);
        Assert.Equal($"position table wpe [{Context}, {Vocab}]", isolated.MaxSequenceLengthSource);
        var e = Assert.Throws<MemScanException>(() => isolated.Advance([isolated.Initial], [new int[Context + 2]]));
        Assert.StartsWith($"{path}: cannot feed {Context + 2} token(s)", e.Message);
        // the host is still there: the refusal did not cost the child
        Assert.Equal(Context, isolated.Advance([isolated.Initial], [new int[Context]])[0].History.Length);

        using var unbounded = IsolatedLanguageModel.Open(BigramOnnxModel.Write(_dir.File("bigram.onnx"), Vocab));
        Assert.Null(unbounded.MaxSequenceLength);
    }

    [Fact]
    public void A_manifest_or_profile_context_below_one_is_refused_and_a_profile_may_set_one()
    {
        string manifestPath = _dir.File("m.memscan.json");
        new ModelManifest { Io = new LmIoSpec { Context = 0 } }.Save(manifestPath);
        var e = Assert.Throws<MemScanException>(() => ModelManifest.Load(manifestPath));
        Assert.Equal($"manifest {manifestPath}: io.context must be a positive number of tokens, got 0", e.Message);

        new ModelManifest { Io = new LmIoSpec { Context = 1024 } }.Save(manifestPath);
        Assert.Contains("\"context\": 1024", File.ReadAllText(manifestPath));
        Assert.Equal(1024, ModelManifest.Load(manifestPath).Io!.Context);

        string profile = _dir.File("p.json");
        File.WriteAllText(profile, """{ "input_ids": "input_ids", "logits": "logits", "context": 16 }""");
        Assert.Equal(16, LmProfile.Load(profile).Context);
        File.WriteAllText(profile, """{ "context": -3 }""");
        Assert.Contains("io.context must be a positive number of tokens, got -3", Assert.Throws<MemScanException>(() => LmProfile.Load(profile)).Message);
    }
}
