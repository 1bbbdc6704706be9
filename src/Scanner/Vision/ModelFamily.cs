using MemScan.Scanner.Manifest;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Vision;

/// <summary>
/// The reference models trained beside a target (memscan-train cnn --references N): named in
/// example_membership.parquet next to the examples, each in the folder of its name
/// (<c>ref-00/model.onnx</c> + manifest), with which examples it trained on.
/// </summary>
public sealed record ModelFamily(IReadOnlyDictionary<string, bool[]> Membership, IReadOnlyList<(string Name, string ModelPath, ClassifierProfile? Profile)> References)
{
    public const string FileName = "example_membership.parquet", Target = "target";

    public static ModelFamily Empty { get; } = new(new Dictionary<string, bool[]>(), []);

    /// <summary>Reads the membership table in <paramref name="folder"/> (none: an empty family) and finds each reference's model.</summary>
    public static ModelFamily Load(string folder, ExampleSet examples)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return Empty;
        var rows = ParquetTable<ExampleMembershipRow>.ReadAsync(path).GetAwaiter().GetResult();
        var index = new Dictionary<int, int>();
        for (int i = 0; i < examples.Rows.Count; i++) index[examples.Rows[i].ExampleId] = i;
        var membership = new Dictionary<string, bool[]>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (!index.TryGetValue(row.ExampleId, out int i)) continue; // examples the scan was not given
            if (!membership.TryGetValue(row.Model, out var members)) membership[row.Model] = members = new bool[examples.Rows.Count];
            members[i] = row.IsMember;
        }
        var references = new List<(string, string, ClassifierProfile?)>();
        foreach (var name in membership.Keys.Where(n => n != Target).Order(StringComparer.Ordinal))
        {
            var (dir, error) = Onnx.SafeModelPath.Resolve(folder, name);
            if (dir is null) throw new MemScanException($"{path}: model name '{name}' is refused as a folder: {error}");
            string model = Path.Combine(dir, "model.onnx");
            if (!File.Exists(model)) throw new MemScanException($"{path} lists reference '{name}', but {model} does not exist");
            string manifest = ModelManifest.PathFor(model);
            var profile = File.Exists(manifest) && ModelManifest.Load(manifest).Classifier is { } spec ? ClassifierProfile.FromManifest(spec, name) : null;
            references.Add((name, model, profile));
        }
        return new ModelFamily(membership, references);
    }
}
