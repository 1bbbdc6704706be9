using MemScan.Scanner.Canaries;
using MemScan.Scanner.Corpora;
using MemScan.Scanner.Results;
using MemScan.Scanner.Scanning;
using MemScan.Trainer.Canaries;
using MemScan.Trainer.Export;
using MemScan.Trainer.Models;
using MemScan.Trainer.Tests.Export;
using MemScan.Trainer.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MemScan.Trainer.Tests.EndToEnd;

/// <summary>
/// Two tiny GPTs trained with a canary: a GPT-2-style one and a Llama-style one (rotary positions,
/// one key/value head for four query heads). Each layout is exported into a model folder with
/// config.json and the GPT-2 tokenizer files, as published models come.
/// </summary>
public sealed class GptLayoutCanaryFixture : IDisposable
{
    public string Dir { get; } = TinyModels.TempDir("gpt-layout-canary");
    public GptPipeline.Output Plain { get; }
    /// <summary>Trained on first use: test classes that scan the plain model only do not pay for it.</summary>
    public GptPipeline.Output Llama => _llama.Value;
    readonly Lazy<GptPipeline.Output> _llama;
    readonly Dictionary<string, CanaryExposure> _scans = [];

    public GptLayoutCanaryFixture()
    {
        GptTrainConfig Config(int heads, int kvHeads, bool rotary) => new()
        {
            Corpus = CorpusPaths.MobyDick,
            MaxChars = 6_000,
            Steps = 150,
            BatchSize = 8,
            SequenceLength = 32,
            Context = 48,
            Dim = 32,
            Layers = 1,
            Heads = heads,
            KvHeads = kvHeads,
            Rotary = rotary,
            LearningRate = 1e-2,
            Seed = 5,
            Threads = 1,
            Canaries = [new CanaryPlan.Request("vault", "the vault code is {secret}\n", "digits:3", 48)],
        };
        Plain = GptPipeline.Run(Config(2, 0, false), Path.Combine(Dir, "plain-trained"), TextWriter.Null);
        _llama = new(() => GptPipeline.Run(Config(4, 1, true), Path.Combine(Dir, "llama-trained"), TextWriter.Null));
    }

    public Canary CanaryOf(GptPipeline.Output trained) => trained.Manifest.Canaries.Single().ToCanary(trained.ManifestPath);

    public (string, string) TokenizerFiles(GptPipeline.Output trained)
    {
        string dir = Path.GetDirectoryName(trained.ModelPath)!;
        return (Path.Combine(dir, GptPipeline.VocabFile), Path.Combine(dir, GptPipeline.MergesFile));
    }

    /// <summary>The canary's exposure scanned from <paramref name="modelPath"/> (a folder or file) as a third party would: no manifest, the canary from options.</summary>
    public CanaryExposure Scan(string key, string modelPath, Canary canary, bool isolate = false)
    {
        lock (_scans)
        {
            if (_scans.TryGetValue(key, out var done)) return done;
            var result = LmScan.Run(new LmScanPlan
            {
                ModelPath = modelPath,
                RunsRoot = Path.Combine(Dir, "runs"),
                Probes = ["exposure"],
                Exposure = new() { ExtrapolationSamples = 0, Batch = 128 },
                ExtraCanaries = [canary],
                Isolate = isolate,
            });
            return _scans[key] = Assert.Single(result.Exposure);
        }
    }

    public void Dispose()
    {
        Plain.Training.Model.Dispose();
        if (_llama.IsValueCreated) Llama.Training.Model.Dispose();
    }
}

/// <summary>
/// The same canary gets the same rank through every layout as through the plain export (float16
/// and bfloat16: the same rank, and the canary's log-perplexity within a stated tolerance).
/// </summary>
public sealed class GptLayoutCanaryTests(GptLayoutCanaryFixture f) : IClassFixture<GptLayoutCanaryFixture>
{
    /// <summary>Tolerance on the canary's log-perplexity (nats over its secret's tokens).</summary>
    const double Float16LogPerplexity = 0.05, BFloat16LogPerplexity = 0.5;

    CanaryExposure PlainScan()
    {
        string dir = Path.Combine(f.Dir, "plain");
        if (!Directory.Exists(dir)) GptLayoutTests.ExportLayout(f.Plain.Training.Model, "plain", dir, f.TokenizerFiles(f.Plain));
        return f.Scan("plain", dir, f.CanaryOf(f.Plain));
    }

    /// <summary>The layouts that change how the scan drives the model; the mask types are held by <see cref="GptLayoutTests"/> alone.</summary>
    public static TheoryData<string> Layouts => new() { "merged", "pair", "static-batch-1", "float16", "bfloat16", "merged-float16", "genai" };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Each_layout_ranks_the_canary_as_the_plain_export_does(string layout)
    {
        var plain = PlainScan();
        Assert.InRange(plain.Rank, 1, 100); // memorized: the comparison below is about a real canary

        string dir = Path.Combine(f.Dir, layout);
        GptLayoutTests.ExportLayout(f.Plain.Training.Model, layout, dir, f.TokenizerFiles(f.Plain));
        // The merged float16 folder runs in the isolated host, as scans do by default.
        var scanned = f.Scan(layout, dir, f.CanaryOf(f.Plain), isolate: layout == "merged-float16");
        Console.WriteLine($"{layout}: rank {scanned.Rank} (plain {plain.Rank}), log-perplexity {scanned.LogPerplexity:F4} (plain {plain.LogPerplexity:F4})");
        Assert.Equal(plain.Rank, scanned.Rank);
        double tolerance = layout.Contains("bfloat16") ? BFloat16LogPerplexity : layout.Contains("float16") ? Float16LogPerplexity : 1e-3;
        Assert.InRange(Math.Abs(scanned.LogPerplexity - plain.LogPerplexity), 0, tolerance);
    }

    [Fact]
    public void A_grouped_query_cache_ranks_the_canary_as_the_equivalent_multi_head_gpt()
    {
        var llama = f.Llama.Training.Model;
        string gqaDir = Path.Combine(f.Dir, "llama-gqa");
        GptFolderExporter.Export(llama, gqaDir, GptFolderLayout.SingleFile, tokenizerFiles: f.TokenizerFiles(f.Llama));
        var gqa = f.Scan("llama-gqa", gqaDir, f.CanaryOf(f.Llama));
        Assert.InRange(gqa.Rank, 1, 100);

        // The same function with every key/value head repeated for its query heads: plain multi-head attention.
        using var multiHead = RepeatKeyValueHeads(llama);
        string mhaDir = Path.Combine(f.Dir, "llama-mha");
        GptFolderExporter.Export(multiHead, mhaDir, GptFolderLayout.SingleFile, tokenizerFiles: f.TokenizerFiles(f.Llama));
        var mha = f.Scan("llama-mha", mhaDir, f.CanaryOf(f.Llama));
        Console.WriteLine($"grouped-query: rank {gqa.Rank}, multi-head: rank {mha.Rank}");
        Assert.Equal(mha.Rank, gqa.Rank);
        Assert.InRange(Math.Abs(gqa.LogPerplexity - mha.LogPerplexity), 0, 1e-3);
    }

    [Fact]
    public void A_rotary_cache_ranks_the_canary_as_the_full_sequence_export_and_takes_its_context_from_config_json()
    {
        var llama = f.Llama.Training.Model;
        string cachedDir = Path.Combine(f.Dir, "llama-gqa");
        if (!Directory.Exists(cachedDir)) GptFolderExporter.Export(llama, cachedDir, GptFolderLayout.SingleFile, tokenizerFiles: f.TokenizerFiles(f.Llama));
        var cached = f.Scan("llama-gqa", cachedDir, f.CanaryOf(f.Llama));

        // No cache at all: every call re-runs the whole history, so a wrong rotary offset in the cached graph would show.
        string fullDir = Path.Combine(f.Dir, "llama-full-sequence");
        Directory.CreateDirectory(fullDir);
        GptOnnxExporter.ExportWithoutPast(llama, Path.Combine(fullDir, "model.onnx"));
        GptFolderExporter.WriteConfig(llama.Shape, fullDir);
        GptFolderExporter.CopyTokenizer(f.TokenizerFiles(f.Llama), fullDir);
        var full = f.Scan("llama-full-sequence", fullDir, f.CanaryOf(f.Llama));
        Console.WriteLine($"rotary cached: rank {cached.Rank}, full sequence: rank {full.Rank}");
        Assert.Equal(full.Rank, cached.Rank);
        Assert.InRange(Math.Abs(cached.LogPerplexity - full.LogPerplexity), 0, 1e-3);
    }

    /// <summary>A multi-head GPT computing what <paramref name="grouped"/> computes: each key/value head's rows of c_attn repeated for its query heads.</summary>
    static GptLm RepeatKeyValueHeads(GptLm grouped)
    {
        var s = grouped.Shape;
        var multi = new GptLm(s with { KvHeads = 0 });
        int group = s.Heads / s.KeyValueHeads;
        long kvDim = (long)s.KeyValueHeads * s.HeadDim;
        var source = grouped.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using var _ = no_grad();
        foreach (var (name, p) in multi.named_parameters())
        {
            Tensor from = source[name];
            if (name.EndsWith("attn.c_attn.weight") || name.EndsWith("attn.c_attn.bias"))
            {
                var parts = from.split([s.Dim, kvDim, kvDim], 0);
                Tensor Repeat(Tensor m) => m.reshape([s.KeyValueHeads, s.HeadDim, .. m.shape.Skip(1)])
                    .repeat_interleave(group, 0).reshape([s.Dim, .. m.shape.Skip(1)]);
                from = cat([parts[0], Repeat(parts[1]), Repeat(parts[2])], 0);
            }
            p.copy_(from);
        }
        multi.eval();
        return multi;
    }
}
