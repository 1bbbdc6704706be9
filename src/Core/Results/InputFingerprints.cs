namespace MemScan.Scanner.Results;

/// <summary>
/// SHA-256 of a scan's input files by role, for <see cref="RunInfo.Inputs"/>: a resumed run must
/// read the same manifest, samples and examples as the run it continues, or its findings would mix
/// two scans. Files that are not given (null path) are left out.
/// </summary>
public static class InputFingerprints
{
    public static IReadOnlyDictionary<string, string> Of(params (string Role, string? Path)[] files)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (role, path) in files)
            if (path is not null && File.Exists(path)) result[role] = RunInfo.ComputeSha256(path);
        return result;
    }

    /// <summary>What differs between the inputs a run recorded and this scan's; null when nothing does (or the run predates input fingerprints).</summary>
    public static string? Difference(IReadOnlyDictionary<string, string> recorded, IReadOnlyDictionary<string, string> now)
    {
        if (recorded.Count == 0) return null; // a run.json written before inputs were recorded
        foreach (string role in recorded.Keys.Union(now.Keys).Order(StringComparer.Ordinal))
        {
            string? a = recorded.GetValueOrDefault(role), b = now.GetValueOrDefault(role);
            if (!string.Equals(a, b, StringComparison.OrdinalIgnoreCase))
                return $"the {role} file differs: the run read {Describe(a)}, this scan {Describe(b)}";
        }
        return null;
    }

    // 12 hex digits tell two files apart in a message; the whole hash is in run.json
    static string Describe(string? sha) => sha is null ? "none" : "SHA-256 " + (sha.Length > 12 ? sha[..12] + "…" : sha);
}
