using MemScan.Scanner.Onnx;
using Xunit;

namespace MemScan.Scanner.Tests.Onnx;

/// <summary>Real third-party files: ONNX's operator fixtures with their expected outputs.</summary>
public class OnnxTestDataTests(OnnxTestData data) : IClassFixture<OnnxTestData>
{
    [Fact]
    public void Every_fixture_model_loads_or_is_refused_only_for_a_non_standard_domain()
    {
        var root = data.Require();
        var models = Directory.GetFiles(root, "model.onnx", SearchOption.AllDirectories);
        Assert.True(models.Length > 1000, $"only {models.Length} fixture models under {root}");
        int loaded = 0;
        var refusals = new List<string>();
        foreach (var path in models)
        {
            try
            {
                var info = OnnxModelInfo.Load(path);
                Assert.True(info.NodeCount > 0, path);
                Assert.NotEmpty(info.Outputs);
                loaded++;
            }
            catch (MemScanException e)
            {
                refusals.Add(e.Message);
            }
        }
        // ai.onnx.preview.training (Adagrad, Adam, Momentum, Gradient) is the only non-standard domain there.
        Assert.All(refusals, m => Assert.Contains("custom operator domain 'ai.onnx.preview.training'", m));
        Assert.True(loaded > 1000, $"{loaded} loaded, {refusals.Count} refused");
    }

    [Fact]
    public void Lstm_fixture_shows_its_inputs_and_op()
    {
        var root = data.Require();
        var info = OnnxModelInfo.Load(Path.Combine(root, "node", "test_lstm_defaults", "model.onnx"));
        Assert.Equal(["LSTM"], info.OpTypes);
        Assert.Equal(["X", "W", "R"], info.Inputs.Select(i => i.Name));
        Assert.All(info.Inputs, i => Assert.Equal(OnnxElementType.Float, i.ElementType));
        Assert.Equal(3, info.Inputs[0].Rank);
        Assert.Equal("backend-test", info.ProducerName);
    }

    [Theory]
    [InlineData("node/test_lstm_defaults")]
    [InlineData("node/test_lstm_with_initial_bias")]
    [InlineData("node/test_matmul_4d")]
    [InlineData("node/test_gemm_default_vector_bias")]
    [InlineData("node/test_layer_normalization_3d_axis_negative_1_epsilon")]
    [InlineData("node/test_softmax_axis_1")]
    [InlineData("node/test_conv_with_strides_padding")]
    [InlineData("node/test_gather_0")]
    [InlineData("node/test_where_example")]
    [InlineData("pytorch-converted/test_Conv2d")]
    public void Fixture_runs_in_OnnxSession_and_matches_its_expected_outputs(string fixture)
    {
        var dir = Path.Combine(data.Require(), fixture);
        using var session = OnnxSession.Open(Path.Combine(dir, "model.onnx"), new OnnxSessionOptions { IntraOpThreads = 1 });
        var set = Path.Combine(dir, "test_data_set_0");
        var inputs = session.Inputs.Select((info, i) => ToInput(info.Name, OnnxTensor.Load(Path.Combine(set, $"input_{i}.pb")))).ToList();
        var outputs = session.Run(inputs);

        for (int i = 0; i < session.Outputs.Count; i++)
        {
            var expected = OnnxTensor.Load(Path.Combine(set, $"output_{i}.pb"));
            var actual = outputs[session.Outputs[i].Name];
            Assert.Equal(expected.Dims, actual.Shape);
            var want = OnnxTensor.ToFloats(expected);
            for (int k = 0; k < want.Length; k++)
                Assert.True(Math.Abs(want[k] - actual.Data[k]) <= 1e-5 + 1e-3 * Math.Abs(want[k]),
                    $"{fixture} output {session.Outputs[i].Name}[{k}]: expected {want[k]}, got {actual.Data[k]}");
        }
    }

    private static OnnxInput ToInput(string name, TensorProto t) => OnnxTensor.ElementType(t) switch
    {
        OnnxElementType.Float => OnnxInput.Float(name, OnnxTensor.ToFloats(t), t.Dims.ToArray()),
        OnnxElementType.Int64 => OnnxInput.Int64(name, OnnxTensor.ToInt64s(t), t.Dims.ToArray()),
        OnnxElementType.Int32 => OnnxInput.Int32(name, t.HasRawData
            ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(t.RawData.Span).ToArray()
            : t.Int32Data.ToArray(), t.Dims.ToArray()),
        OnnxElementType.Bool => OnnxInput.Bool(name, t.HasRawData
            ? t.RawData.Span.ToArray().Select(b => b != 0).ToArray()
            : t.Int32Data.Select(v => v != 0).ToArray(), t.Dims.ToArray()),
        var other => throw new InvalidOperationException($"fixture input '{name}' has type {other}"),
    };
}
