using Xunit;
using MemScan.Scanner.Onnx;

namespace MemScan.Scanner.Tests.Onnx;

public class OnnxGraphBuilderTests
{
    private static readonly float[] W = [0.5f, -1f, 2f, 0.25f, -0.75f, 1.5f]; // [3, 2]
    private static readonly float[] B = [0.1f, -0.2f];

    internal static OnnxGraphBuilder MatMulAdd()
    {
        var b = new OnnxGraphBuilder("matmul_add")
            .AddInput("x", OnnxElementType.Float, "batch", 3)
            .AddInitializer("w", W, [3, 2])
            .AddInitializer("b", B, [2])
            .AddOutput("y", OnnxElementType.Float, "batch", 2);
        var h = b.Apply("MatMul", ["x", "w"]);
        b.AddNode("Add", [h, "b"], ["y"]);
        return b;
    }

    [Fact]
    public void MatMul_add_model_with_dynamic_batch_matches_a_CSharp_computation()
    {
        using var dir = new TempDir();
        var path = dir.File("mm.onnx");
        MatMulAdd().Save(path);

        using var session = OnnxSession.Open(path);
        foreach (int batch in new[] { 1, 4 })
        {
            var rng = new Random(batch);
            var x = Enumerable.Range(0, batch * 3).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
            var y = session.Run([OnnxInput.Float("x", x, batch, 3)])["y"];

            Assert.Equal(new long[] { batch, 2 }, y.Shape);
            for (int r = 0; r < batch; r++)
                for (int c = 0; c < 2; c++)
                {
                    float expected = B[c];
                    for (int k = 0; k < 3; k++) expected += x[r * 3 + k] * W[k * 2 + c];
                    Assert.Equal(expected, y[r, c], 1e-5f);
                }
        }
        Assert.Equal(Device.Cpu, session.Device);
        Assert.Null(session.DeviceNote);
    }

    [Fact]
    public void Round_trip_through_a_file_keeps_symbolic_dims_opset_and_counts()
    {
        using var dir = new TempDir();
        var path = dir.File("rt.onnx");
        var b = new OnnxGraphBuilder("lm")
            .AddInput("input_ids", OnnxElementType.Int64, "batch", "seq")
            .AddInitializer("emb", new float[5 * 4], [5, 4])
            .AddInitializer("shape", new long[] { 0, -1 }, [2])
            .AddOutput("logits", OnnxElementType.Float, "batch", "seq", 4)
            .AddMetadata("memscan.kind", "lm");
        b.AddNode("Gather", ["emb", "input_ids"], ["logits"], OnnxAttribute.Int("axis", 0));
        b.Save(path, opset: 17, producer: "memscan-test");

        var info = OnnxModelInfo.Load(path);
        Assert.Equal(17, info.Opset);
        Assert.Equal(8, info.IrVersion);
        Assert.Equal("memscan-test", info.ProducerName);
        var input = Assert.Single(info.Inputs);
        Assert.Equal("input_ids", input.Name);
        Assert.Equal(OnnxElementType.Int64, input.ElementType);
        Assert.Equal(new OnnxDim[] { "batch", "seq" }, input.Dims);
        var output = Assert.Single(info.Outputs);
        Assert.Equal("batch", output.Dims![0].Param);
        Assert.Equal(4, output.Dims[2].Value);
        Assert.Equal(2, info.InitializerCount);
        Assert.Equal(5 * 4 * 4 + 2 * 8, info.InitializerBytes);
        Assert.Equal(["Gather"], info.OpTypes);
        Assert.Equal("lm", info.Metadata["memscan.kind"]);

        using var session = OnnxSession.Open(path);
        Assert.Equal(new OnnxDim[] { "batch", "seq" }, session.Inputs[0].Dims);
    }

    [Fact]
    public void Zero_valued_attributes_are_written_with_presence()
    {
        var a = OnnxAttribute.Int("axis", 0);
        var bytes = Google.Protobuf.MessageExtensions.ToByteArray(a);
        var back = AttributeProto.Parser.ParseFrom(bytes);
        Assert.True(back.HasI);
        Assert.Equal(AttributeProto.Types.AttributeType.Int, back.Type);
    }

    [Fact]
    public void Generated_names_are_unique_and_clashes_are_refused()
    {
        var b = new OnnxGraphBuilder().AddInput("x", OnnxElementType.Float, 2);
        var a1 = b.Apply("Relu", ["x"]);
        var a2 = b.Apply("Relu", [a1]);
        Assert.NotEqual(a1, a2);
        var e = Assert.Throws<ArgumentException>(() => b.AddInput("x", OnnxElementType.Float, 2));
        Assert.Contains("'x' is already defined", e.Message);
        var d = Assert.Throws<ArgumentException>(() => b.AddInitializer("w", new float[5], [2, 2]));
        Assert.Contains("need 4 elements, got 5", d.Message);
    }

    [Fact]
    public void Save_replaces_an_existing_file_and_leaves_no_temp_files()
    {
        using var dir = new TempDir();
        var path = dir.File("m.onnx");
        File.WriteAllText(path, "old");
        MatMulAdd().Save(path);
        Assert.Equal(["m.onnx"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
        Assert.Equal(2, OnnxModelInfo.Load(path).NodeCount);
    }

    [Fact]
    public void Unknown_fields_from_newer_onnx_survive_a_parse_and_rewrite()
    {
        var model = MatMulAdd().Build();
        var bytes = Google.Protobuf.MessageExtensions.ToByteArray(model);
        // ModelProto field 20 (training_info, not in our subset), length-delimited, 3 bytes.
        byte[] extra = [0xA2, 0x01, 3, 0x0A, 0x01, 0x78]; // tag 162 = field 20, wire type 2
        var withUnknown = bytes.Concat(extra).ToArray();
        var parsed = ModelProto.Parser.ParseFrom(withUnknown);
        var rewritten = Google.Protobuf.MessageExtensions.ToByteArray(parsed);
        Assert.Equal(withUnknown.Length, rewritten.Length);
        Assert.True(rewritten.AsSpan().IndexOf(extra.AsSpan()) >= 0);
    }
}
