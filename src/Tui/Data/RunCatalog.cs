using MemScan.Scanner;
using MemScan.Scanner.Results;
using Parquet;

namespace MemScan.Tui.Data;

/// <summary>
/// Lists what is under a runs folder: every run (newest first, corrupt ones included with their
/// problem) and every sweep under <c>&lt;runs&gt;/sweeps/</c>. Never throws for a bad run: one
/// corrupt folder must not hide the others.
/// </summary>
internal static class RunCatalog
{
    public const string SweepsFolderName = "sweeps";

    public static async Task<IReadOnlyList<RunEntry>> LoadAsync(string runsRoot, CancellationToken cancellationToken = default)
    {
        var entries = new List<RunEntry>();
        foreach (RunListing listing in RunFolder.List(runsRoot))
        {
            if (listing.RunId == SweepsFolderName)
                continue;
            entries.Add(await DescribeRunAsync(listing, cancellationToken).ConfigureAwait(false));
        }
        string sweeps = Path.Combine(runsRoot, SweepsFolderName);
        if (Directory.Exists(sweeps))
        {
            foreach (string dir in Directory.EnumerateDirectories(sweeps).Order(StringComparer.Ordinal))
            {
                if (!Path.GetFileName(dir).StartsWith('.'))
                    entries.Add(await DescribeSweepAsync(dir, cancellationToken).ConfigureAwait(false));
            }
        }
        return entries;
    }

    private static async Task<RunEntry> DescribeRunAsync(RunListing listing, CancellationToken ct)
    {
        var entry = new RunEntry { Id = listing.RunId, Path = listing.Path, Info = listing.Info, Problem = listing.Problem };
        string findings = Path.Combine(listing.Path, FindingsTable.FileName);
        if (!File.Exists(findings))
            return entry;
        try
        {
            (Severity? worst, long count) = await FindingsFile.ReadWorstAsync(findings, ct).ConfigureAwait(false);
            return entry with { Worst = worst, FindingCount = count };
        }
        catch (MemScanException e)
        {
            return entry with { Problem = entry.Problem ?? e.Message };
        }
    }

    public static async Task<RunEntry> DescribeSweepAsync(string root, CancellationToken ct)
    {
        int parts = 0, skipped = 0;
        long rows = 0;
        string? problem = null;
        foreach (HivePart part in HiveFolder.ListParts(root))
        {
            try
            {
                ParquetFooterCheck.Check(part.Path);
                await using ParquetReader reader = await ParquetReader.CreateAsync(part.Path, cancellationToken: ct)
                    .ConfigureAwait(false);
                rows += reader.RowGroups.Sum(g => g.RowCount);
                parts++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                skipped++;
                problem = $"{part.Path} is corrupt: {e.Message} (skipped)";
            }
        }
        return new RunEntry
        {
            Id = Path.GetFileName(root), Path = root, IsSweep = true, Parts = parts, Rows = rows,
            SkippedParts = skipped, Problem = problem,
        };
    }
}
