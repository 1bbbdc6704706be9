using MemScan.Scanner.Manifest;
using MemScan.Scanner.Tests.Models;
using MemScan.Scanner.Tests.Reliability;
using MemScan.Scanner.Tests.Results;
using Xunit;

namespace MemScan.Scanner.Tests.Sweeps;

/// <summary>
/// <c>memscan sweep DIR</c>: a model folder as the README's "Models as published" section lays it out
/// (model.onnx with its manifest beside it) sweeps exactly as the model file it resolves to.
/// </summary>
public sealed class SweepModelFolderTests : IDisposable
{
    readonly TempFolder _dir = new();
    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_sweep_of_a_model_folder_is_the_sweep_of_its_model_file()
    {
        string folder = _dir.File("published");
        Directory.CreateDirectory(folder);
        string model = BigramOnnxModel.Write(Path.Combine(folder, "model.onnx"), TinySweep.Symbols.Length, seed: 7);
        new ModelManifest
        {
            Architecture = "bigram",
            ModelFile = "model.onnx",
            Tokenizer = new TokenizerSpec { Kind = "char", Symbols = TinySweep.Symbols },
        }.Save(ModelManifest.PathFor(model));
        string sweeps = _dir.File("sweeps");
        string[] Sweep(string target, string id) =>
            ["sweep", target, "--sweeps", sweeps, "--sweep-id", id, "--samples", "6", "--tokens", "8", "--batch", "3", "--threads", "1"];

        var byFolder = MemscanProcess.Run(Sweep(folder, "folder"));
        Assert.True(byFolder.Code == 0, byFolder.Stderr);
        Assert.Contains("sweep folder shard 0/1: 6 samples written", byFolder.Stdout);
        var byFile = MemscanProcess.Run(Sweep(model, "file"));
        Assert.True(byFile.Code == 0, byFile.Stderr);

        var compare = MemscanProcess.Run(["sweep", "compare", Path.Combine(sweeps, "folder"), Path.Combine(sweeps, "file")]);
        Assert.True(compare.Code == 0, compare.Stdout + compare.Stderr);
        Assert.Contains("identical: 6 samples", compare.Stdout);
    }
}
