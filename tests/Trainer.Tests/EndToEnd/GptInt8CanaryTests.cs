using MemScan.Scanner.Models;
using MemScan.Scanner.Onnx;
using MemScan.Trainer.Export;
using Xunit;

namespace MemScan.Trainer.Tests.EndToEnd;

/// <summary>
/// The Trainer's int8 export (<c>memscan-train gpt --publish-precision int8</c>: int8 weights with a
/// scale per output column, DynamicQuantizeLinear + MatMulInteger) loads in the scanner as a third
/// party's quantized GPT would, and ranks the trained canary as the float export does, within
/// <see cref="RankTolerance"/> places and <see cref="LogPerplexityTolerance"/> nats.
/// </summary>
public sealed class GptInt8CanaryTests(GptLayoutCanaryFixture f) : IClassFixture<GptLayoutCanaryFixture>
{
    /// <summary>
    /// Rounding weights to 8 bits and activations to 8 bits per tensor moves every log-probability a
    /// little; a memorized canary keeps its place among 10^3 within a few ranks.
    /// </summary>
    const long RankTolerance = 3;
    const double LogPerplexityTolerance = 0.5;

    [Fact]
    public void The_int8_export_ranks_the_canary_as_the_float_export_within_the_stated_tolerance()
    {
        string floatDir = Path.Combine(f.Dir, "int8-test-float"), int8Dir = Path.Combine(f.Dir, "int8-test-int8");
        var model = f.Plain.Training.Model;
        GptFolderExporter.Export(model, floatDir, GptFolderLayout.SingleFile, tokenizerFiles: f.TokenizerFiles(f.Plain));
        GptFolderExporter.Export(model, int8Dir, GptFolderLayout.SingleFile, new GptExportOptions { Int8Weights = true },
            tokenizerFiles: f.TokenizerFiles(f.Plain));

        // The weights are int8: the file is about a quarter of the float one (biases, LayerNorms and scales stay float).
        long floatBytes = new FileInfo(Path.Combine(floatDir, "model.onnx")).Length, int8Bytes = new FileInfo(Path.Combine(int8Dir, "model.onnx")).Length;
        Assert.InRange(int8Bytes, 0, floatBytes * 0.3);

        using (var lm = OnnxLanguageModel.Open(int8Dir))
            Assert.Contains("growing key/value cache", lm.Mode);

        var canary = f.CanaryOf(f.Plain);
        var fp32 = f.Scan("int8-test-float", floatDir, canary);
        var int8 = f.Scan("int8-test-int8", int8Dir, canary);
        Console.WriteLine($"int8: rank {int8.Rank}, log-perplexity {int8.LogPerplexity:F4}; float: rank {fp32.Rank}, log-perplexity {fp32.LogPerplexity:F4}");
        Assert.InRange(fp32.Rank, 1, 100); // memorized: the comparison is about a real canary
        Assert.InRange(int8.Rank, fp32.Rank - RankTolerance, fp32.Rank + RankTolerance);
        Assert.InRange(Math.Abs(int8.LogPerplexity - fp32.LogPerplexity), 1e-6, LogPerplexityTolerance); // quantized: close, not equal
    }

    [Fact]
    public void Int8_weights_refuse_a_half_precision_export()
    {
        var e = Assert.Throws<ArgumentException>(() => new GptExportOptions { Int8Weights = true, Precision = OnnxElementType.Float16 }.Validate());
        Assert.Contains("int8 weights keep float activations", e.Message);
    }
}
