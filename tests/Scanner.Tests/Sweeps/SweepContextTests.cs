using MemScan.Scanner.Manifest;
using MemScan.Scanner.Sweeps;
using MemScan.Scanner.Tests.Models;
using MemScan.Scanner.Tests.Onnx;
using Xunit;

namespace MemScan.Scanner.Tests.Sweeps;

/// <summary>
/// A sweep asking for more tokens than the model's context is refused up front (before sweep.json),
/// naming --tokens and how far to lower it; one that fits runs to the end of the context.
/// </summary>
public sealed class SweepContextTests : IDisposable
{
    const int Context = 12;
    readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A model with a 12-row position table (read from the graph: the manifest has no io.context).</summary>
    string Model()
    {
        string path = PositionTableOnnxModel.Write(_dir.File("positions.onnx"), TinySweep.Symbols.Length, Context);
        new ModelManifest
        {
            Architecture = "positions",
            ModelFile = "positions.onnx",
            Tokenizer = new TokenizerSpec { Kind = "char", Symbols = TinySweep.Symbols },
        }.Save(ModelManifest.PathFor(path));
        return path;
    }

    SweepPlan Plan(string model, int tokens) => new()
    {
        ModelPath = model,
        SweepsRoot = _dir.File("sweeps"),
        SweepId = $"tokens-{tokens}",
        Settings = TinySweep.Settings with { Tokens = tokens, Window = 4 },
        Threads = 1,
    };

    [Fact]
    public async Task A_sweep_asking_for_more_tokens_than_the_context_is_refused_before_sweep_json()
    {
        string model = Model();
        // the start text "\n" is 1 token: 1 + 16 > 12
        var e = await Assert.ThrowsAsync<MemScanException>(() => SweepRun.RunAsync(Plan(model, tokens: 16), cancellationToken: Ct));
        Assert.Equal($"sweep: prompts of up to 1 token(s) + --tokens 16 = 17 tokens, more than {model}'s context of {Context} tokens " +
                     $"(from position table wpe [{Context}, {TinySweep.Symbols.Length}]); lower --tokens to at most 11 or use a shorter --start", e.Message);
        Assert.False(Directory.Exists(Path.Combine(_dir.File("sweeps"), "tokens-16")));
    }

    [Fact]
    public async Task A_sweep_that_fills_the_context_exactly_runs()
    {
        string model = Model();
        var result = await SweepRun.RunAsync(Plan(model, tokens: Context - 1), cancellationToken: Ct);
        Assert.True(result.Shard.Complete);
        Assert.Equal(TinySweep.Settings.Samples, result.Shard.SamplesWritten);
    }
}
