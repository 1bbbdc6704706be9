namespace MemScan.Scanner.Results;

/// <summary>
/// <c>findings.parquet</c>: one row per <see cref="Finding"/>, every probe's findings in one table,
/// sorted most severe first on write. Columns are documented in docs/RESULTS.md.
/// </summary>
public static class FindingsTable
{
    public const string FileName = "findings.parquet";

    /// <summary>Column names in file order.</summary>
    public static IReadOnlyList<string> ColumnNames => ParquetTable<FindingRow>.ColumnNames;

    /// <summary>Writes the findings atomically, most severe first, then by probe and subject.</summary>
    public static Task WriteAsync(string path, IEnumerable<Finding> findings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(findings);
        List<FindingRow> rows = findings
            .OrderByDescending(f => f.Severity)
            .ThenBy(f => f.Probe, StringComparer.Ordinal)
            .ThenBy(f => f.Subject, StringComparer.Ordinal)
            .Select(FindingRow.From)
            .ToList();
        return ParquetTable<FindingRow>.WriteAsync(path, rows, cancellationToken);
    }

    public static async Task<IReadOnlyList<Finding>> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<FindingRow> rows = await ParquetTable<FindingRow>.ReadAsync(path, cancellationToken)
            .ConfigureAwait(false);
        var findings = new Finding[rows.Count];
        for (int i = 0; i < rows.Count; i++)
            findings[i] = rows[i].ToFinding(path, i);
        return findings;
    }
}
