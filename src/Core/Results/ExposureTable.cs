namespace MemScan.Scanner.Results;

/// <summary><c>exposure.parquet</c>: one <see cref="CanaryExposure"/> row per canary (docs/RESULTS.md).</summary>
public static class ExposureTable
{
    public const string FileName = "exposure.parquet";

    /// <summary>Column names in file order.</summary>
    public static IReadOnlyList<string> ColumnNames => ParquetTable<CanaryExposure>.ColumnNames;

    public static Task WriteAsync(string path, IEnumerable<CanaryExposure> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        List<CanaryExposure> list = rows.ToList();
        foreach (CanaryExposure row in list)
            Check(row);
        return ParquetTable<CanaryExposure>.WriteAsync(path, list, cancellationToken);
    }

    public static async Task<IReadOnlyList<CanaryExposure>> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<CanaryExposure> rows = await ParquetTable<CanaryExposure>.ReadAsync(path, cancellationToken)
            .ConfigureAwait(false);
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows[i].Method is not (CanaryExposure.Exact or CanaryExposure.Extrapolated))
                throw new MemScanException(
                    $"{path}: row {i} has method '{rows[i].Method}' (expected exact or extrapolated)");
        }
        return rows;
    }

    private static void Check(CanaryExposure row)
    {
        if (row.Method is not (CanaryExposure.Exact or CanaryExposure.Extrapolated))
            throw new ArgumentException(
                $"canary {row.CanaryId}: method must be 'exact' or 'extrapolated', got '{row.Method}'", nameof(row));
        if (row.Rank < 1)
            throw new ArgumentException($"canary {row.CanaryId}: rank is 1-based, got {row.Rank}", nameof(row));
    }
}
