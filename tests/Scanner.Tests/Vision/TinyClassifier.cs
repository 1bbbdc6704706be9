using MemScan.Scanner.Manifest;
using MemScan.Scanner.Onnx;
using MemScan.Scanner.Results;
using MemScan.Scanner.Vision;

namespace MemScan.Scanner.Tests.Vision;

/// <summary>
/// A classifier family built without a trainer, with everything a <c>memscan vision</c> scan reads:
/// a two-layer perceptron in ONNX (images [batch, 1, side, side] → embedding → logits over 3
/// classes), its manifest, examples.parquet with members, non-members and canaries of both kinds
/// (half of them included), and four reference models with example_membership.parquet. The
/// weights are random: the scores mean nothing, but every probe has work and writes every table.
/// </summary>
internal sealed record TinyClassifier(string ModelPath, string ExamplesPath)
{
    public const int Classes = 3;

    public static TinyClassifier Write(string folder, int side = 8, int hidden = 16)
    {
        Directory.CreateDirectory(folder);
        var random = new Random(11);
        int per = side * side;
        var examples = new List<ExampleRow>();
        byte[] Pixels() { var b = new byte[per]; random.NextBytes(b); return b; }
        for (int i = 0; i < 120; i++)
        {
            string role = i < 40 ? ExampleRow.Member : i < 80 ? ExampleRow.NonMember : ExampleRow.Canary;
            examples.Add(new ExampleRow
            {
                ExampleId = i,
                Role = role,
                CanaryKind = role != ExampleRow.Canary ? null : i % 2 == 0 ? ExampleRow.Mislabeled : ExampleRow.Noise,
                Included = role == ExampleRow.Member || (role == ExampleRow.Canary && i % 4 < 2),
                Label = random.Next(Classes),
                Pixels = Pixels(),
            });
        }
        string examplesPath = Path.Combine(folder, "examples.parquet");
        ParquetTable<ExampleRow>.WriteAsync(examplesPath, examples).GetAwaiter().GetResult();

        var membership = examples.Select(e => new ExampleMembershipRow { Model = ModelFamily.Target, ExampleId = e.ExampleId, IsMember = e.Included }).ToList();
        for (int r = 0; r < 4; r++)
        {
            string name = $"ref-{r:D2}";
            Directory.CreateDirectory(Path.Combine(folder, name));
            WriteModel(Path.Combine(folder, name, "model.onnx"), side, hidden, seed: 100 + r);
            membership.AddRange(examples.Select(e => new ExampleMembershipRow { Model = name, ExampleId = e.ExampleId, IsMember = random.Next(2) == 0 }));
        }
        ParquetTable<ExampleMembershipRow>.WriteAsync(Path.Combine(folder, ModelFamily.FileName), membership).GetAwaiter().GetResult();

        string model = WriteModel(Path.Combine(folder, "model.onnx"), side, hidden, seed: 1);
        new ModelManifest
        {
            Kind = "classifier",
            Architecture = "mlp",
            ModelFile = "model.onnx",
            Classifier = new ClassifierSpec { Input = "images", Logits = "logits", Embedding = "embedding", Height = side, Width = side, Classes = Classes },
            ExamplesFile = "examples.parquet",
        }.Save(ModelManifest.PathFor(model));
        return new TinyClassifier(model, examplesPath);
    }

    static string WriteModel(string path, int side, int hidden, int seed)
    {
        var random = new Random(seed);
        float[] Weights(int n, double scale) => Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale)).ToArray();
        int per = side * side;
        var g = new OnnxGraphBuilder("mlp");
        g.AddInput("images", OnnxElementType.Float, "batch", 1, side, side);
        g.AddInitializer("w1", Weights(per * hidden, 3 / Math.Sqrt(per)), [per, hidden]);
        g.AddInitializer("b1", Weights(hidden, 0.1), [hidden]);
        g.AddInitializer("w2", Weights(hidden * Classes, 3 / Math.Sqrt(hidden)), [hidden, Classes]);
        g.AddInitializer("b2", Weights(Classes, 0.1), [Classes]);
        string flat = g.Apply("Flatten", ["images"]);
        string pre = g.Apply("Add", [g.Apply("MatMul", [flat, "w1"]), "b1"]);
        g.AddNode("Relu", [pre], ["embedding"]);
        g.AddNode("Add", [g.Apply("MatMul", ["embedding", "w2"]), "b2"], ["logits"]);
        g.AddOutput("logits", OnnxElementType.Float, "batch", Classes);
        g.AddOutput("embedding", OnnxElementType.Float, "batch", hidden);
        g.Save(path);
        return path;
    }
}
