using System.Globalization;
using System.Text.RegularExpressions;

namespace MemScan.Scanner.Results;

/// <summary>One committed part of a hive-style table: <c>shard=NNNN/part-XXXX.parquet</c>.</summary>
public sealed record HivePart(string Path, int Shard, int Part);

/// <summary>A part that could not be read, and why (the <see cref="MemScanException"/> message).</summary>
public sealed record SkippedPart(string Path, string Reason);

/// <summary>The rows of every readable part, which parts were read, and which were skipped.</summary>
public sealed record HiveReadResult<T>(IReadOnlyList<T> Rows, IReadOnlyList<HivePart> Parts, IReadOnlyList<SkippedPart> Skipped);

/// <summary>
/// A sweep table split by shard, laid out as <c>&lt;root&gt;/shard=NNNN/part-XXXX.parquet</c> so
/// DuckDB (<c>read_parquet('root/*/*.parquet', hive_partitioning=true)</c>), pandas and Spark read it
/// as one table with a <c>shard</c> column. Temp files (hidden, <c>.tmp</c>) are never listed.
/// </summary>
public static partial class HiveFolder
{
    /// <summary><c>&lt;root&gt;/shard=0003</c>.</summary>
    public static string ShardFolder(string root, int shard)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        return Path.Combine(root, "shard=" + shard.ToString("D4", CultureInfo.InvariantCulture));
    }

    /// <summary><c>&lt;root&gt;/shard=0003/part-0012.parquet</c>.</summary>
    public static string PartPath(string root, int shard, int part)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(part);
        return Path.Combine(ShardFolder(root, shard), "part-" + part.ToString("D4", CultureInfo.InvariantCulture) + ".parquet");
    }

    /// <summary>The next free part number in a shard (0 for a new shard), for resuming a sweep.</summary>
    public static int NextPart(string root, int shard) =>
        ListParts(root).Where(p => p.Shard == shard).Select(p => p.Part + 1).DefaultIfEmpty(0).Max();

    /// <summary>Committed parts ordered by shard then part; a missing root has none.</summary>
    public static IReadOnlyList<HivePart> ListParts(string root)
    {
        if (!Directory.Exists(root))
            return [];
        var parts = new List<HivePart>();
        foreach (string folder in Directory.EnumerateDirectories(root))
        {
            Match shard = ShardName().Match(Path.GetFileName(folder));
            if (!shard.Success)
                continue;
            foreach (string file in Directory.EnumerateFiles(folder, "*.parquet"))
            {
                Match part = PartName().Match(Path.GetFileName(file));
                if (part.Success)
                    parts.Add(new HivePart(file,
                        int.Parse(shard.Groups[1].Value, CultureInfo.InvariantCulture),
                        int.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture)));
            }
        }
        parts.Sort((a, b) => a.Shard != b.Shard ? a.Shard.CompareTo(b.Shard) : a.Part.CompareTo(b.Part));
        return parts;
    }

    /// <summary>
    /// Reads every part as one table. A corrupt part or one with the wrong schema is skipped and
    /// reported in <see cref="HiveReadResult{T}.Skipped"/>, so one bad shard does not hide the rest.
    /// </summary>
    public static async Task<HiveReadResult<T>> ReadAllAsync<T>(string root, CancellationToken cancellationToken = default)
        where T : class, IParquetRow, new()
    {
        var rows = new List<T>();
        var read = new List<HivePart>();
        var skipped = new List<SkippedPart>();
        foreach (HivePart part in ListParts(root))
        {
            try
            {
                rows.AddRange(await ParquetTable<T>.ReadAsync(part.Path, cancellationToken).ConfigureAwait(false));
                read.Add(part);
            }
            catch (MemScanException e)
            {
                skipped.Add(new SkippedPart(part.Path, e.Message));
            }
        }
        return new HiveReadResult<T>(rows, read, skipped);
    }

    [GeneratedRegex(@"^shard=(\d+)$")]
    private static partial Regex ShardName();

    [GeneratedRegex(@"^part-(\d+)\.parquet$")]
    private static partial Regex PartName();
}
