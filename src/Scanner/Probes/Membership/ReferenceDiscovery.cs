using MemScan.Scanner.Results;
using MemScan.Scanner.Manifest;

namespace MemScan.Scanner.Probes.Membership;

/// <summary>
/// Finds the reference models of a scan: those given with <c>--reference</c>, then (unless turned
/// off) the family beside the target, i.e. each model of membership.parquet other than the target
/// that has <c>&lt;target folder&gt;/&lt;name&gt;/model.onnx</c>. A given reference in such a
/// folder takes that folder's name, so its membership is known too.
/// </summary>
public static class ReferenceDiscovery
{
    public static IReadOnlyList<MiaReference> Find(string targetModelPath, MiaSettings settings, MembershipTables? tables)
    {
        var result = new List<MiaReference>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { Path.GetFullPath(targetModelPath) };
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var given in settings.References)
        {
            string path = Path.GetFullPath(given);
            InputFile.Require(given, "reference model");
            if (!seen.Add(path)) continue;
            string folderName = Path.GetFileName(Path.GetDirectoryName(path)!);
            bool known = tables is not null && folderName != MembershipRow.Target && tables.HasModel(folderName) &&
                         SameFolder(Path.GetDirectoryName(path)!, Path.Combine(tables.Folder, folderName));
            string name = known ? folderName
                : Path.GetFileName(path) == "model.onnx" ? folderName : Path.GetFileNameWithoutExtension(path);
            result.Add(new MiaReference(Unique(name, names), path, ManifestOf(path), known ? folderName : null));
        }
        if (settings.DiscoverReferences && tables is not null)
        {
            // ref-clean trains on the target's own split: useful as the ratio reference, listed last
            foreach (var model in tables.Models.Where(m => m != MembershipRow.Target)
                         .OrderBy(m => m == MembershipRow.CleanReference).ThenBy(m => m, StringComparer.Ordinal))
            {
                string path = Path.GetFullPath(Path.Combine(tables.Folder, model, "model.onnx"));
                if (!File.Exists(path) || !seen.Add(path)) continue;
                result.Add(new MiaReference(Unique(model, names), path, ManifestOf(path), model));
            }
        }
        return result;
    }

    static string? ManifestOf(string modelPath)
    {
        string manifest = ModelManifest.PathFor(modelPath);
        return File.Exists(manifest) ? manifest : null;
    }

    static bool SameFolder(string a, string b) =>
        string.Equals(Path.GetFullPath(a).TrimEnd(Path.DirectorySeparatorChar), Path.GetFullPath(b).TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal);

    static string Unique(string name, HashSet<string> taken)
    {
        string candidate = name;
        for (int i = 2; !taken.Add(candidate); i++) candidate = $"{name}-{i}";
        return candidate;
    }
}
