using MemScan.Scanner.Results;
using MemScan.Scanner.Manifest;

namespace MemScan.Scanner.Probes.Membership;

/// <summary>
/// Where the probe's members and non-members come from, first match wins: <c>--members</c> +
/// <c>--non-members</c>; the family's units.parquet + membership.parquet (every unit, with the
/// target's ground truth); the manifest's sample files. Then a seeded, balanced subsample.
/// </summary>
public static class MiaSamples
{
    public static (IReadOnlyList<MiaSample> Samples, string Source) Load(MiaSettings settings, ModelManifest? manifest,
        string? manifestPath, MembershipTables? tables)
    {
        if (settings.MembersFile is not null || settings.NonMembersFile is not null)
        {
            if (settings.MembersFile is null || settings.NonMembersFile is null)
                throw new MemScanException("--members and --non-members go together: membership inference needs both classes");
            return (FromFiles(settings.MembersFile, settings.NonMembersFile, settings.SampleLabels), "files");
        }
        if (tables is not null && tables.HasModel(MembershipRow.Target))
            return (tables.TargetSamples(), "membership-table");
        if (manifest?.Samples is { Members: { } members, NonMembers: { } nonMembers })
            return (FromFiles(ModelManifest.ResolveFile(manifestPath!, members, "member samples"),
                ModelManifest.ResolveFile(manifestPath!, nonMembers, "non-member samples"), settings.SampleLabels), "manifest");
        return ([], "none");
    }

    /// <summary>Reads both files; ids are m-/n- plus the 0-based index among the file's non-empty lines.</summary>
    public static IReadOnlyList<MiaSample> FromFiles(string membersFile, string nonMembersFile, bool labels)
    {
        var members = Read(membersFile, "members", labels);
        var nonMembers = Read(nonMembersFile, "non-members", labels);
        return members.Select((s, i) => new MiaSample($"m-{i:D6}", s.Text, true, s.Label))
            .Concat(nonMembers.Select((s, i) => new MiaSample($"n-{i:D6}", s.Text, false, s.Label)))
            .ToList();
    }

    static List<(string Text, string Label)> Read(string path, string what, bool labels)
    {
        var lines = SampleFile.Read(path, $"{what} file");
        var result = new List<(string, string)>(lines.Count);
        for (int i = 0; i < lines.Count; i++)
        {
            if (!labels) { result.Add((lines[i], "")); continue; }
            // the label goes after the last TAB, so texts may hold TABs themselves
            int tab = lines[i].LastIndexOf('\t');
            if (tab < 0) throw new MemScanException($"{what} file {path}: line {i + 1} has no TAB before a slice label (--sample-labels)");
            result.Add((lines[i][..tab], lines[i][(tab + 1)..].Trim()));
        }
        return result;
    }

    /// <summary>At most <paramref name="maxPerClass"/> members and as many non-members, chosen at random (seeded), in their original order.</summary>
    public static IReadOnlyList<MiaSample> Subsample(IReadOnlyList<MiaSample> samples, int maxPerClass, int seed)
    {
        if (maxPerClass < 1) throw new MemScanException($"the sample limit must be >= 1, got {maxPerClass}");
        var random = new Random(seed);
        var keep = new HashSet<int>();
        foreach (bool member in new[] { true, false })
        {
            var indices = Enumerable.Range(0, samples.Count).Where(i => samples[i].IsMember == member).ToArray();
            random.Shuffle(indices);
            keep.UnionWith(indices.Take(maxPerClass));
        }
        return samples.Where((_, i) => keep.Contains(i)).ToList();
    }
}
