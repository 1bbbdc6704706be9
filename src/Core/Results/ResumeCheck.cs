namespace MemScan.Scanner.Results;

/// <summary>
/// Whether a scan may continue an existing run: the same model bytes and the same probes with the
/// same settings, or the run would mix findings about two different scans under one id.
/// </summary>
public static class ResumeCheck
{
    /// <summary>What differs between the run on disk and the scan asked for now; null when nothing does.</summary>
    public static string? Difference(RunInfo existing, RunInfo wanted)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(wanted);
        if (existing.ModelKind != wanted.ModelKind)
            return $"the run scanned a {existing.ModelKind}, this scan a {wanted.ModelKind}";
        if (!string.Equals(existing.ModelSha256, wanted.ModelSha256, StringComparison.OrdinalIgnoreCase))
            return $"the model differs: run.json has SHA-256 {Short(existing.ModelSha256)}, {wanted.ModelPath} has {Short(wanted.ModelSha256)}";
        if (InputFingerprints.Difference(existing.Inputs, wanted.Inputs) is { } inputs) return inputs;
        var before = existing.Probes.Keys.Order(StringComparer.Ordinal).ToList();
        var now = wanted.Probes.Keys.Order(StringComparer.Ordinal).ToList();
        if (!before.SequenceEqual(now))
            return $"the probes differ: the run has {List(before)}, this scan {List(now)}";
        foreach (string probe in before)
        {
            var a = existing.Probes[probe];
            var b = wanted.Probes[probe];
            foreach (string key in a.Keys.Union(b.Keys).Order(StringComparer.Ordinal))
            {
                string? x = a.GetValueOrDefault(key), y = b.GetValueOrDefault(key);
                if (x != y)
                    return $"the {probe} setting '{key}' differs: the run has {x ?? "(none)"}, this scan {y ?? "(none)"}";
            }
        }
        return null;
    }

    // 12 hex digits tell two models apart in a message; the whole hash is in run.json
    static string Short(string sha) => sha.Length > 12 ? sha[..12] + "…" : sha;

    static string List(IReadOnlyList<string> names) => names.Count == 0 ? "none" : string.Join(",", names);
}
