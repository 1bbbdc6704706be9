using Xunit;
using MemScan.Scanner.Onnx;

namespace MemScan.Scanner.Tests.Onnx;

public class OnnxSessionTests
{
    [Fact]
    public void Cuda_request_falls_back_to_cpu_with_a_note_when_no_provider_is_available()
    {
        using var dir = new TempDir();
        var path = dir.File("m.onnx");
        OnnxGraphBuilderTests.MatMulAdd().Save(path);
        using var session = OnnxSession.Open(path, new OnnxSessionOptions { Device = Device.Cuda, IntraOpThreads = 1 });
        if (session.Device == Device.Cpu)
            Assert.StartsWith("CUDA requested but", session.DeviceNote);
        else
            Assert.Null(session.DeviceNote);
        var y = session.Run([OnnxInput.Float("x", [0, 0, 0], 1, 3)])["y"];
        Assert.Equal(new[] { 0.1f, -0.2f }, y.Data);
    }

    [Fact]
    public void Metadata_shows_names_types_and_symbolic_dims()
    {
        using var dir = new TempDir();
        var path = dir.File("m.onnx");
        OnnxGraphBuilderTests.MatMulAdd().Save(path);
        using var session = OnnxSession.Open(path);
        var x = Assert.Single(session.Inputs);
        Assert.Equal("x: float[batch, 3]", x.ToString());
        Assert.Equal("y: float[batch, 2]", Assert.Single(session.Outputs).ToString());
    }

    [Fact]
    public void OrtValue_level_run_returns_outputs_the_caller_disposes()
    {
        using var dir = new TempDir();
        var path = dir.File("m.onnx");
        OnnxGraphBuilderTests.MatMulAdd().Save(path);
        using var session = OnnxSession.Open(path);
        float[] x = [1, 1, 1, 2, 2, 2];
        using var input = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(x, [2, 3]);
        using var results = session.Run(["x"], [input], ["y"]);
        var y = results[0].GetTensorDataAsSpan<float>().ToArray();
        Assert.Equal(4, y.Length);
        Assert.Equal(0.5f + 2f - 0.75f + 0.1f, y[0], 1e-5f); // column 0 of w [[0.5, -1], [2, 0.25], [-0.75, 1.5]] plus b[0]
    }

    [Fact]
    public void Graph_editor_exposes_an_intermediate_tensor_as_an_output()
    {
        using var dir = new TempDir();
        var path = dir.File("m.onnx");
        OnnxGraphBuilderTests.MatMulAdd().Save(path);
        var hidden = OnnxModelInfo.Load(path).Model.Graph.Node[0].Output[0];

        var edited = dir.File("m.probe.onnx");
        var info = OnnxGraphEditor.AddOutput(path, hidden, edited);
        Assert.Equal(["y", hidden], info.Outputs.Select(o => o.Name));

        using var session = OnnxSession.Open(edited);
        var outputs = session.Run([OnnxInput.Float("x", [1, 0, 0], 1, 3)]);
        Assert.Equal(new[] { 0.5f, -1f }, outputs[hidden].Data);
        Assert.Equal(new long[] { 1, 2 }, outputs[hidden].Shape);
        Assert.Equal(new[] { 0.6f, -1.2f }, outputs["y"].Data);

        var e = Assert.Throws<MemScanException>(() => OnnxGraphEditor.AddOutput(path, "embeddingz", dir.File("x.onnx")));
        Assert.Contains("tensor 'embeddingz' is not produced by any of the 2 nodes", e.Message);
    }
}
