using MemScan.Scanner.Corpora;
using MemScan.Scanner.Scanning;
using MemScan.Scanner.Tests.Onnx;
using Xunit;

namespace MemScan.Scanner.Tests.Cli;

/// <summary>Models that are not language models get told so, with their real inputs, not a stack trace.</summary>
public class ForeignModelTests(OnnxTestData fixtures) : IClassFixture<OnnxTestData>
{
    static MemScanException ScanOf(string model) =>
        Assert.Throws<MemScanException>(() => LmScan.Run(new LmScanPlan
        {
            ModelPath = model,
            RunsRoot = Path.Combine(Path.GetTempPath(), "memscan-foreign-runs"),
        }));

    [Fact]
    public void The_PaddleOCR_orientation_classifier_is_not_a_language_model_and_its_inputs_are_named()
    {
        string model = Path.Combine(CorpusPaths.For(CorpusPaths.OcrModels), "ch_ppocr_mobile_v2.0_cls_infer.onnx");
        Assert.True(File.Exists(model), $"{model} missing: run corpora/fetch.sh ocr-models");
        var e = ScanOf(model);
        Assert.Contains("is not a language model", e.Message);
        Assert.Contains("inputs are x: float[", e.Message);
    }

    [Theory]
    [InlineData("node/test_conv_with_strides_padding/model.onnx")]
    [InlineData("node/test_lstm_defaults/model.onnx")]
    [InlineData("node/test_gemm_default_vector_bias/model.onnx")]
    public void Onnx_operator_fixtures_are_not_language_models_and_their_inputs_are_named(string fixture)
    {
        string model = Path.Combine(fixtures.Require(), fixture);
        var e = ScanOf(model);
        Assert.Contains("is not a language model: expected int64 token ids [batch, seq]; inputs are ", e.Message);
    }
}
