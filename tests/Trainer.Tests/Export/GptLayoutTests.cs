using MemScan.Scanner;
using MemScan.Scanner.Models;
using MemScan.Scanner.Onnx;
using MemScan.Trainer.Export;
using MemScan.Trainer.Models;
using MemScan.Trainer.Tests.EndToEnd;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace MemScan.Trainer.Tests.Export;

/// <summary>
/// The Trainer's GPT exported in the layouts third-party decoders are published in (merged
/// decoder, decoder pair, static batch 1, float16 and bfloat16, int32/bool/float masks, grouped-query
/// attention, rotary positions) is read by the Scanner from the graph and its folder alone, and
/// gives the log-probabilities of the TorchSharp model: float layouts within 1e-4, float16 within
/// <see cref="Float16Tolerance"/>, bfloat16 within <see cref="BFloat16Tolerance"/> nats.
/// </summary>
public sealed class GptLayoutTests
{
    /// <summary>Half-precision weights and caches round to 11 (float16) and 8 (bfloat16) significant bits; the arithmetic stays float.</summary>
    public const double Float16Tolerance = 0.02, BFloat16Tolerance = 0.15;

    internal static GptLm WideRandomGpt(GptShape shape, int seed)
    {
        torch.manual_seed(seed);
        var model = new GptLm(shape);
        // Wide random weights: GPT-2's 0.02 init gives near-uniform logits that agree even through a wrong graph.
        using (no_grad())
            foreach (var p in model.parameters()) nn.init.normal_(p, 0, 0.3);
        model.eval();
        return model;
    }

    static float[][][] Torch(GptLm model, int[][] sequences) =>
        OnnxLanguageModelAdapterTests.FullLogits(sequences, x => model.Forward(x).Logits);

    [Theory]
    [InlineData(4, 1, false)] // grouped-query: one key/value head serves four query heads
    [InlineData(4, 2, false)]
    [InlineData(2, 0, true)] // rotary positions, plain multi-head
    [InlineData(4, 2, true)] // both, as Llama-style models
    public void Grouped_query_and_rotary_gpts_decode_incrementally_as_TorchSharp_computes_them(int heads, int kvHeads, bool rotary)
    {
        var shape = new GptShape(Vocab: 47, Context: 24, Dim: 16, Layers: 2, Heads: heads, KvHeads: kvHeads, Rotary: rotary);
        using var model = WideRandomGpt(shape, 7);
        string dir = TinyModels.TempDir("gpt-gqa-rope");
        GptFolderExporter.Export(model, dir, GptFolderLayout.SingleFile);

        using var lm = OnnxLanguageModel.Open(dir);
        Assert.Contains("growing key/value cache", lm.Mode);
        // The caches hold the key/value heads only: [batch, kv_heads, past, head_dim].
        Assert.Equal($"past_key_values.0.key: float[batch_size, {shape.KeyValueHeads}, past_sequence_length, {shape.HeadDim}]",
            lm.GraphInputs.Single(i => i.Name == "past_key_values.0.key").ToString());
        Assert.Equal(24, lm.MaxSequenceLength);
        Assert.Equal(rotary ? "config.json max_position_embeddings" : "position table wpe.weight [24, 16]", lm.MaxSequenceLengthSource);
        OnnxLanguageModelAdapterTests.AssertIncrementalEqualsFull(lm, OnnxLanguageModelAdapterTests.Sequences(shape.Vocab, rows: 3, length: 12),
            ids => Torch(model, ids));
    }

    [Fact]
    public void A_rotary_gpt_without_config_json_is_refused_with_the_ways_to_give_its_context()
    {
        var shape = new GptShape(Vocab: 31, Context: 16, Dim: 8, Layers: 1, Heads: 2, Rotary: true);
        using var model = WideRandomGpt(shape, 8);
        string dir = TinyModels.TempDir("gpt-rope-no-config");
        GptFolderExporter.Export(model, dir, GptFolderLayout.SingleFile, writeConfig: false);

        var e = Assert.Throws<MemScanException>(() => OnnxLanguageModel.Open(dir));
        Assert.Contains("rotary positions (position_ids → Cos/Sin) with no position table", e.Message);
        Assert.Contains("config.json with max_position_embeddings", e.Message);
        // The advice works: a profile with only the context opens it.
        string profile = Path.Combine(dir, "context.profile.json");
        File.WriteAllText(profile, """{ "context": 16 }""");
        using var lm = OnnxLanguageModel.Open(dir, MemScan.Scanner.Scanning.LmProfile.Load(profile));
        Assert.Equal(16, lm.MaxSequenceLength);
    }

    public static TheoryData<string> Layouts => new() { "merged", "pair", "static-batch-1", "float16", "bfloat16", "merged-float16", "mask-int32", "mask-bool", "mask-float", "genai" };

    /// <summary>Writes one layout of <paramref name="model"/> into a folder and returns what its Mode must mention.</summary>
    internal static string ExportLayout(GptLm model, string layout, string dir, (string, string)? tokenizerFiles = null)
    {
        var half = new GptExportOptions { Precision = OnnxElementType.Float16 };
        switch (layout)
        {
            case "plain": GptFolderExporter.Export(model, dir, GptFolderLayout.SingleFile, tokenizerFiles: tokenizerFiles); return "attention_mask";
            case "merged": GptFolderExporter.Export(model, dir, GptFolderLayout.Merged, tokenizerFiles: tokenizerFiles); return "use_cache_branch (false on the first step)";
            case "pair": GptFolderExporter.Export(model, dir, GptFolderLayout.Pair, tokenizerFiles: tokenizerFiles); return "first step through decoder_model.onnx";
            case "static-batch-1": GptFolderExporter.Export(model, dir, GptFolderLayout.SingleFile, new GptExportOptions { StaticBatch = true }, tokenizerFiles: tokenizerFiles); return "static batch 1";
            case "float16": GptFolderExporter.Export(model, dir, GptFolderLayout.SingleFile, half, tokenizerFiles: tokenizerFiles); return "float16 state, float16 logits";
            case "bfloat16": GptFolderExporter.Export(model, dir, GptFolderLayout.SingleFile, new GptExportOptions { Precision = OnnxElementType.BFloat16 }, tokenizerFiles: tokenizerFiles); return "bfloat16 state, bfloat16 logits";
            case "merged-float16": GptFolderExporter.Export(model, dir, GptFolderLayout.Merged, half, tokenizerFiles: tokenizerFiles); return "float16 state";
            case "mask-int32": GptFolderExporter.Export(model, dir, GptFolderLayout.SingleFile, new GptExportOptions { MaskType = OnnxElementType.Int32 }, tokenizerFiles: tokenizerFiles); return "attention_mask";
            case "mask-bool": GptFolderExporter.Export(model, dir, GptFolderLayout.SingleFile, new GptExportOptions { MaskType = OnnxElementType.Bool }, tokenizerFiles: tokenizerFiles); return "attention_mask";
            case "mask-float": GptFolderExporter.Export(model, dir, GptFolderLayout.SingleFile, new GptExportOptions { MaskType = OnnxElementType.Float }, tokenizerFiles: tokenizerFiles); return "attention_mask";
            case "genai": GptFolderExporter.Export(model, dir, GptFolderLayout.SingleFile, writeConfig: false, writeGenAiConfig: true, tokenizerFiles: tokenizerFiles); return "context 32 tokens";
            default: throw new ArgumentException(layout);
        }
    }

    internal static double ToleranceOf(string layout) =>
        layout.Contains("bfloat16") ? BFloat16Tolerance : layout.Contains("float16") ? Float16Tolerance : OnnxParity.Tolerance;

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Each_layout_gives_the_log_probs_of_the_TorchSharp_gpt(string layout)
    {
        var shape = new GptShape(Vocab: 53, Context: 32, Dim: 16, Layers: 2, Heads: 2);
        using var model = WideRandomGpt(shape, 9);
        string dir = TinyModels.TempDir("gpt-layout-" + layout);
        string mode = ExportLayout(model, layout, dir);

        using var lm = OnnxLanguageModel.Open(dir);
        Assert.Contains(mode, lm.Mode);
        var sequences = OnnxLanguageModelAdapterTests.Sequences(shape.Vocab, rows: 3, length: 12);
        var expected = Torch(model, sequences);
        double tolerance = ToleranceOf(layout);
        // Fed in uneven chunks with rows at different depths, as the probes feed them.
        var states = Enumerable.Repeat(lm.Initial, 3).ToArray();
        int[][] cuts = [[5, 1, 4, 2], [5, 1, 4, 2], [3, 3, 4, 2]];
        var got = new List<float>[3];
        for (int r = 0; r < 3; r++) got[r] = [];
        for (int step = 0; step < 4; step++)
        {
            var chunks = Enumerable.Range(0, 3).Select(r =>
            {
                int from = cuts[r].Take(step).Sum();
                return sequences[r][from..(from + cuts[r][step])];
            }).ToArray();
            states = lm.Advance(states, chunks, out var logProbs);
            for (int r = 0; r < 3; r++) got[r].AddRange(logProbs[r]);
        }
        double worst = 0;
        for (int r = 0; r < 3; r++)
        {
            for (int p = 1; p < 12; p++) worst = Math.Max(worst, Math.Abs(expected[r][p - 1][sequences[r][p]] - got[r][p]));
            worst = Math.Max(worst, expected[r][11].Zip(states[r].NextLogProbs, (e, a) => Math.Abs(e - a)).Max());
        }
        Assert.True(worst <= tolerance, $"{layout}: log-probs differ from TorchSharp's by up to {worst:E2}, over {tolerance}");
        if (layout.Contains("float16"))
            Assert.True(worst > 1e-6, $"{layout}: a half-precision export that agrees to {worst:E2} would not be half precision");
    }
}
