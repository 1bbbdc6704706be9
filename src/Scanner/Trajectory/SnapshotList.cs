using System.Globalization;
using MemScan.Scanner.Manifest;

namespace MemScan.Scanner.Trajectory;

/// <summary>One snapshot of a training run: its folder, model, manifest and place in training.</summary>
public sealed record SnapshotEntry(long Step, string ModelPath, ModelManifest Manifest, string ModelSha256)
{
    public SnapshotRecord Record => Manifest.Snapshot!;
}

/// <summary>
/// The snapshots a trainer wrote under <c>DIR/snapshots/STEP/</c> (<c>memscan-train --snapshot-every</c>),
/// in step order. Hidden temp folders of a killed run are ignored; anything else that is not a
/// whole snapshot of one kind of model is refused with the folder's name.
/// </summary>
public static class SnapshotList
{
    public const string Folder = "snapshots";

    public static IReadOnlyList<SnapshotEntry> Load(string runDir)
    {
        string root = Path.Combine(runDir, Folder);
        if (!Directory.Exists(runDir)) throw new MemScanException($"training run folder {runDir} does not exist");
        if (!Directory.Exists(root))
            throw new MemScanException($"{runDir} has no {Folder}/ folder: train with --snapshot-every K to write snapshots");
        var entries = new List<SnapshotEntry>();
        foreach (string dir in Directory.EnumerateDirectories(root))
        {
            string name = Path.GetFileName(dir);
            if (name.StartsWith('.')) continue; // a snapshot a killed run never finished
            if (!long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out long step))
                throw new MemScanException($"{dir}: a snapshot folder is named by its step (a number), got '{name}'");
            string model = Path.Combine(dir, "model.onnx"), manifestPath = ModelManifest.PathFor(model);
            if (!File.Exists(model) || !File.Exists(manifestPath))
                throw new MemScanException($"snapshot {dir} lacks model.onnx or its manifest");
            var manifest = ModelManifest.Load(manifestPath);
            if (manifest.Snapshot is null || manifest.Snapshot.Step != step)
                throw new MemScanException($"snapshot {dir}: its manifest records step {manifest.Snapshot?.Step.ToString(CultureInfo.InvariantCulture) ?? "none"}, the folder says {step}");
            entries.Add(new SnapshotEntry(step, model, manifest, Results.RunInfo.ComputeSha256(model)));
        }
        if (entries.Count == 0) throw new MemScanException($"{root} holds no snapshots");
        var kinds = entries.Select(e => e.Manifest.Kind).Distinct().ToList();
        if (kinds.Count > 1) throw new MemScanException($"{root} mixes model kinds ({string.Join(", ", kinds)})");
        return entries.OrderBy(e => e.Step).ToList();
    }
}
