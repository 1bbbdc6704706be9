using Xunit;
using MemScan.Scanner.Onnx;

namespace MemScan.Scanner.Tests.Onnx;

/// <summary>
/// <see cref="OnnxModelInfo"/> keeps the graph without its large weights (the session holds them):
/// a scan of a 475 MiB model held a second, managed copy of every weight for as long as the model
/// was open. What must survive: everything read from the graph (names, types, dims, small
/// initializers), and a graph edit written from the info must run like the original.
/// </summary>
public class ModelInfoWeightsTests
{
    const int In = 160, Out = 128; // 160 × 128 floats = 80 KiB, over the 64 KiB kept

    static readonly float[] Small = [0.25f, -0.5f];

    static string SaveModel(TempDir dir)
    {
        var w = Enumerable.Range(0, In * Out).Select(i => (float)Math.Sin(i * 0.37) * 0.1f).ToArray();
        var b = new OnnxGraphBuilder("big_matmul")
            .AddInput("x", OnnxElementType.Float, "batch", In)
            .AddInitializer("w", w, [In, Out])
            .AddInitializer("s", Small, [2])
            .AddOutput("y", OnnxElementType.Float, "batch", Out);
        var h = b.Apply("MatMul", ["x", "w"]);
        b.AddNode("Relu", [h], ["y"]);
        var path = dir.File("big.onnx");
        b.Save(path);
        return path;
    }

    [Fact]
    public void Large_payloads_are_dropped_from_the_kept_graph_and_read_back_whole_on_request()
    {
        using var dir = new TempDir();
        var info = OnnxModelInfo.Load(SaveModel(dir));

        Assert.Equal(1, info.WeightsDropped);
        var w = info.Model.Graph.Initializer.Single(t => t.Name == "w");
        Assert.Equal(new long[] { In, Out }, w.Dims.ToArray());
        Assert.Equal((int)OnnxElementType.Float, w.DataType);
        Assert.True(w.RawData.IsEmpty && w.FloatData.Count == 0);
        // Small initializers keep their values; the facts counted at load keep the dropped bytes.
        Assert.Equal(Small, OnnxTensor.ToFloats(info.Model.Graph.Initializer.Single(t => t.Name == "s")));
        Assert.Equal(4L * (In * Out + Small.Length), info.InitializerBytes);

        var whole = info.LoadWithWeights();
        Assert.Equal(4 * In * Out, whole.Graph.Initializer.Single(t => t.Name == "w").RawData.Length);
        Assert.Equal(File.ReadAllBytes(info.Path).Length, info.FileBytes);
    }

    [Fact]
    public void A_graph_edit_written_from_the_info_runs_with_the_original_weights()
    {
        using var dir = new TempDir();
        var path = SaveModel(dir);
        var edited = dir.File("edited.onnx");
        OnnxGraphEditor.AddOutput(path, OnnxModelInfo.Load(path).Model.Graph.Node[0].Output[0], edited);

        var x = Enumerable.Range(0, 2 * In).Select(i => (float)Math.Cos(i)).ToArray();
        using var original = OnnxSession.Open(path);
        using var copy = OnnxSession.Open(edited);
        var want = original.Run([OnnxInput.Float("x", x, 2, In)])["y"];
        var got = copy.Run([OnnxInput.Float("x", x, 2, In)])["y"];
        Assert.Equal(want.Shape, got.Shape);
        for (int r = 0; r < 2; r++)
            for (int c = 0; c < Out; c++)
                Assert.Equal(want[r, c], got[r, c]);
        Assert.Contains(want.Data, v => v > 0); // weights all zero would pass the equality too
    }

    [Fact]
    public void A_file_replaced_by_a_refused_one_is_refused_when_read_whole()
    {
        using var dir = new TempDir();
        var path = SaveModel(dir);
        var info = OnnxModelInfo.Load(path);
        File.WriteAllBytes(path, [0xff, 0xff, 0xff, 0xff]);
        var e = Assert.Throws<MemScanException>(() => info.LoadWithWeights());
        Assert.Contains("not a valid ONNX model", e.Message);
    }
}
