using Xunit;
using Google.Protobuf;
using MemScan.Scanner.Onnx;

namespace MemScan.Scanner.Tests.Onnx;

/// <summary>Untrusted files: each refusal is a MemScanException that says what is wrong.</summary>
public class HostileOnnxFileTests
{
    private static string SaveModel(TempDir dir, string name, Action<ModelProto> tamper)
    {
        var model = OnnxGraphBuilderTests.MatMulAdd().Build();
        tamper(model);
        var path = dir.File(name);
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    private static TensorProto ExternalWeights(string location)
    {
        var t = new TensorProto { Name = "w", DataType = (int)OnnxElementType.Float, DataLocation = TensorProto.Types.DataLocation.External };
        t.Dims.AddRange([3L, 2L]);
        t.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        t.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = "24" });
        return t;
    }

    private static void ReplaceWeights(ModelProto m, TensorProto t)
    {
        var i = m.Graph.Initializer.ToList().FindIndex(x => x.Name == "w");
        m.Graph.Initializer[i] = t;
    }

    [Fact]
    public void Missing_file_is_named()
    {
        var e = Assert.Throws<MemScanException>(() => OnnxModelInfo.Load("/nonexistent/model.onnx"));
        Assert.Equal("ONNX model /nonexistent/model.onnx does not exist", e.Message);
    }

    [Fact]
    public void Truncated_file_is_not_a_valid_ONNX_model()
    {
        using var dir = new TempDir();
        var bytes = OnnxGraphBuilderTests.MatMulAdd().Build().ToByteArray();
        var path = dir.File("cut.onnx");
        File.WriteAllBytes(path, bytes[..(bytes.Length * 2 / 3)]);
        var e = Assert.Throws<MemScanException>(() => OnnxModelInfo.Load(path));
        Assert.StartsWith($"{path} is not a valid ONNX model: ", e.Message);
        Assert.Contains("ended unexpectedly", e.Message);
    }

    [Fact]
    public void Random_bytes_are_not_a_valid_ONNX_model()
    {
        using var dir = new TempDir();
        foreach (int seed in new[] { 1, 2, 3 })
        {
            var bytes = new byte[4096];
            new Random(seed).NextBytes(bytes);
            var path = dir.File($"random{seed}.onnx");
            File.WriteAllBytes(path, bytes);
            var e = Assert.Throws<MemScanException>(() => OnnxModelInfo.Load(path));
            Assert.StartsWith($"{path} is not a valid ONNX model: ", e.Message);
        }
    }

    [Fact]
    public void Empty_file_has_no_ir_version()
    {
        using var dir = new TempDir();
        var path = dir.File("empty.onnx");
        File.WriteAllBytes(path, []);
        var e = Assert.Throws<MemScanException>(() => OnnxModelInfo.Load(path));
        Assert.Equal($"{path} is not a valid ONNX model: it has no ir_version", e.Message);
    }

    [Fact]
    public void File_over_the_size_limit_is_refused_before_parsing()
    {
        using var dir = new TempDir();
        var path = SaveModel(dir, "m.onnx", _ => { });
        var e = Assert.Throws<MemScanException>(() => OnnxModelInfo.Load(path, new OnnxLimits { MaxFileBytes = 10 }));
        Assert.Contains("over the limit of 10 bytes", e.Message);
    }

    [Fact]
    public void External_data_with_parent_traversal_is_refused()
    {
        using var dir = new TempDir();
        var path = SaveModel(dir, "m.onnx", m => ReplaceWeights(m, ExternalWeights("../../etc/passwd")));
        var e = Assert.Throws<MemScanException>(() => OnnxModelInfo.Load(path));
        Assert.Contains("initializer 'w'", e.Message);
        Assert.Contains("'../../etc/passwd' climbs out of the model folder", e.Message);
        // OnnxSession validates before ONNX Runtime ever opens the file.
        Assert.Throws<MemScanException>(() => OnnxSession.Open(path));
    }

    [Fact]
    public void External_data_at_an_absolute_path_is_refused()
    {
        using var dir = new TempDir();
        var path = SaveModel(dir, "m.onnx", m => ReplaceWeights(m, ExternalWeights("/etc/passwd")));
        var e = Assert.Throws<MemScanException>(() => OnnxModelInfo.Load(path));
        Assert.Contains("'/etc/passwd' is an absolute path", e.Message);
    }

    [Fact]
    public void External_data_through_a_symlink_out_of_the_folder_is_refused()
    {
        using var dir = new TempDir();
        using var outside = new TempDir();
        File.WriteAllBytes(outside.File("secret.bin"), new byte[24]);
        File.CreateSymbolicLink(dir.File("weights.bin"), outside.File("secret.bin"));
        Directory.CreateSymbolicLink(dir.File("sub"), outside.Path);
        foreach (var location in new[] { "weights.bin", "sub/secret.bin" })
        {
            var path = SaveModel(dir, "m.onnx", m => ReplaceWeights(m, ExternalWeights(location)));
            var e = Assert.Throws<MemScanException>(() => OnnxModelInfo.Load(path));
            Assert.Contains($"'{location}' resolves to {outside.File("secret.bin")}, outside the model folder", e.Message);
        }
    }

    [Fact]
    public void External_data_beside_the_model_loads_and_runs()
    {
        using var dir = new TempDir();
        float[] w = [1, 2, 3, 4, 5, 6];
        File.WriteAllBytes(dir.File("weights.bin"), w.SelectMany(BitConverter.GetBytes).ToArray());
        var path = SaveModel(dir, "m.onnx", m => ReplaceWeights(m, ExternalWeights("weights.bin")));
        var info = OnnxModelInfo.Load(path);
        Assert.True(info.HasExternalData);
        Assert.Equal(24 + 8, info.InitializerBytes);

        using var session = OnnxSession.Open(path);
        var y = session.Run([OnnxInput.Float("x", [1, 0, 0], 1, 3)])["y"];
        Assert.Equal(new[] { 1 + 0.1f, 2 - 0.2f }, y.Data);
    }

    [Fact]
    public void External_data_longer_than_its_file_is_refused()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("weights.bin"), new byte[8]);
        var path = SaveModel(dir, "m.onnx", m => ReplaceWeights(m, ExternalWeights("weights.bin")));
        var e = Assert.Throws<MemScanException>(() => OnnxModelInfo.Load(path));
        Assert.Contains("reads bytes 0..24 of external file 'weights.bin', which has only 8", e.Message);
    }

    [Fact]
    public void Custom_domain_op_is_refused_unless_allowed()
    {
        using var dir = new TempDir();
        var path = SaveModel(dir, "m.onnx", m =>
        {
            m.Graph.Node[1].Domain = "evil.ops";
            m.Graph.Node[1].OpType = "Backdoor";
            m.OpsetImport.Add(new OperatorSetIdProto { Domain = "evil.ops", Version = 1 });
        });
        var e = Assert.Throws<MemScanException>(() => OnnxModelInfo.Load(path));
        Assert.Contains("(Backdoor)", e.Message);
        Assert.Contains("custom operator domain 'evil.ops'", e.Message);

        var info = OnnxModelInfo.Load(path, new OnnxLimits { ExtraAllowedDomains = ["evil.ops"] });
        Assert.Contains("evil.ops:Backdoor", info.OpTypes);
    }

    [Fact]
    public void Absurd_dimension_is_refused()
    {
        using var dir = new TempDir();
        var path = SaveModel(dir, "m.onnx", m => m.Graph.Input[0].Type.TensorType.Shape.Dim[1].DimValue = 1L << 40);
        var e = Assert.Throws<MemScanException>(() => OnnxModelInfo.Load(path));
        Assert.Contains($"value 'x' in graph declares dimension {1L << 40}, over the limit of {1L << 31}", e.Message);
    }

    [Fact]
    public void Initializer_whose_dims_promise_terabytes_is_refused()
    {
        using var dir = new TempDir();
        var path = SaveModel(dir, "m.onnx", m => { m.Graph.Initializer[0].Dims.Clear(); m.Graph.Initializer[0].Dims.AddRange([1L << 20, 1L << 20]); });
        var e = Assert.Throws<MemScanException>(() => OnnxModelInfo.Load(path));
        Assert.Contains($"declares dims [{1L << 20}, {1L << 20}], more than", e.Message);
    }

    [Fact]
    public void Node_count_and_initializer_bytes_limits_apply()
    {
        using var dir = new TempDir();
        var path = SaveModel(dir, "m.onnx", _ => { });
        var nodes = Assert.Throws<MemScanException>(() => OnnxModelInfo.Load(path, new OnnxLimits { MaxNodes = 1 }));
        Assert.Contains("more than 1 nodes", nodes.Message);
        var bytes = Assert.Throws<MemScanException>(() => OnnxModelInfo.Load(path, new OnnxLimits { MaxInitializerBytes = 16 }));
        Assert.Contains("more than 16 bytes", bytes.Message);
    }

    [Fact]
    public void Deeply_nested_subgraphs_hit_the_recursion_limit()
    {
        using var dir = new TempDir();
        var path = SaveModel(dir, "m.onnx", m =>
        {
            var g = new GraphProto { Name = "leaf" };
            for (int i = 0; i < 60; i++)
            {
                var n = new NodeProto { OpType = "If", Name = $"if{i}" };
                n.Attribute.Add(OnnxAttribute.Graph("then_branch", g));
                g = new GraphProto { Name = $"g{i}" };
                g.Node.Add(n);
            }
            m.Graph.Node.Add(g.Node[0]);
        });
        var e = Assert.Throws<MemScanException>(() => OnnxModelInfo.Load(path));
        Assert.StartsWith($"{path} is not a valid ONNX model: ", e.Message);
        Assert.Contains("recursion", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Model_that_ONNX_Runtime_rejects_gives_one_line_naming_the_file()
    {
        using var dir = new TempDir();
        var path = SaveModel(dir, "m.onnx", m => m.Graph.Node[1].OpType = "NoSuchOp");
        var e = Assert.Throws<MemScanException>(() => OnnxSession.Open(path));
        Assert.StartsWith($"ONNX Runtime cannot load {path}: ", e.Message);
        Assert.Contains("NoSuchOp", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Wrong_input_shape_at_run_time_gives_one_line_naming_the_file()
    {
        using var dir = new TempDir();
        var path = SaveModel(dir, "m.onnx", _ => { });
        using var session = OnnxSession.Open(path);
        var e = Assert.Throws<MemScanException>(() => session.Run([OnnxInput.Float("x", new float[4], 1, 4)]));
        Assert.StartsWith($"ONNX Runtime failed running {path}: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
