namespace MemScan.Scanner.Scanning;

/// <summary>The <c>--probes</c> option of the scan commands: comma-separated names out of a known set.</summary>
public static class ProbeList
{
    /// <summary>Empty (all probes that apply) when the option is absent.</summary>
    public static IReadOnlyList<string> Parse(string? list, IReadOnlyList<string> known)
    {
        if (string.IsNullOrWhiteSpace(list)) return [];
        var names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = names.Where(n => !known.Contains(n)).ToArray();
        if (unknown.Length > 0)
            throw new MemScanException($"unknown probe(s) {string.Join(", ", unknown)}: choose from {string.Join(", ", known)}");
        return names;
    }
}
