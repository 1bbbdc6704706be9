using MemScan.Scanner.Manifest;
using MemScan.Scanner.Results;
using MemScan.Scanner.Sweeps;
using MemScan.Scanner.Tests.Models;

namespace MemScan.Scanner.Tests.Sweeps;

/// <summary>
/// A real ONNX language model small enough for sweep tests to run in a second: a bigram table over
/// a 12-symbol character vocabulary (upper and lower case, so the lowercase score has work), with
/// a manifest beside it, plus a second bigram as reference model.
/// </summary>
internal sealed class TinySweep : IDisposable
{
    public const string Symbols = "\0\nabcABC .xy";

    /// <param name="lstm">a stateful char-LSTM (incremental decoding) instead of the full-sequence bigram</param>
    public TinySweep(bool lstm = false)
    {
        Folder = Path.Combine(Path.GetTempPath(), "memscan-sweep-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Folder);
        ModelPath = lstm
            ? TinyLstmOnnxModel.Write(Path.Combine(Folder, "tiny.onnx"), Symbols.Length)
            : BigramOnnxModel.Write(Path.Combine(Folder, "tiny.onnx"), Symbols.Length, seed: 7);
        ReferencePath = BigramOnnxModel.Write(Path.Combine(Folder, "reference.onnx"), Symbols.Length, seed: 8);
        var manifest = new ModelManifest
        {
            Architecture = "bigram",
            ModelFile = "tiny.onnx",
            Tokenizer = new TokenizerSpec { Kind = "char", Symbols = Symbols },
        };
        manifest.Save(ModelManifest.PathFor(ModelPath));
        manifest.Save(ModelManifest.PathFor(ReferencePath));
    }

    public string Folder { get; }
    public string ModelPath { get; }
    public string ReferencePath { get; }
    public string SweepsRoot => Path.Combine(Folder, "sweeps");

    public static SweepSettings Settings => new()
    {
        Samples = 22, Tokens = 16, TopK = 5, Batch = 3, BatchesPerPart = 2, Window = 6, Seed = 11,
        Temperature = new TemperatureSchedule(1.0, Start: 4.0, DecayTokens: 4),
    };

    public SweepPlan Plan(string sweepId, ShardSpec? shard = null, int? maxParts = null, SweepSettings? settings = null) => new()
    {
        ModelPath = ModelPath,
        ReferencePath = ReferencePath,
        SweepsRoot = SweepsRoot,
        SweepId = sweepId,
        Settings = settings ?? Settings,
        Shard = shard ?? ShardSpec.Single,
        MaxParts = maxParts,
        Threads = 1,
    };

    /// <summary>All rows of a sweep, ordered by sample index.</summary>
    public async Task<IReadOnlyList<SweepSampleRow>> ReadAsync(string sweepId)
    {
        var read = await HiveFolder.ReadAllAsync<SweepSampleRow>(Path.Combine(SweepsRoot, sweepId));
        Xunit.Assert.Empty(read.Skipped);
        return read.Rows.OrderBy(r => r.SampleIndex).ToList();
    }

    /// <summary>Every column but created_utc (and shard, which names the writer), as one comparable string per row.</summary>
    public static IReadOnlyList<string> Content(IEnumerable<SweepSampleRow> rows, bool withShard = true) =>
        rows.Select(r => SweepCompare.Content(r, withShard)).ToList();

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { }
    }
}
