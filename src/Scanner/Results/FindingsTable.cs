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
            .Select(ToRow)
            .ToList();
        return ParquetTable<FindingRow>.WriteAsync(path, rows, cancellationToken);
    }

    public static async Task<IReadOnlyList<Finding>> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<FindingRow> rows = await ParquetTable<FindingRow>.ReadAsync(path, cancellationToken)
            .ConfigureAwait(false);
        var findings = new Finding[rows.Count];
        for (int i = 0; i < rows.Count; i++)
            findings[i] = FromRow(path, i, rows[i]);
        return findings;
    }

    private static FindingRow ToRow(Finding f)
    {
        if (string.IsNullOrWhiteSpace(f.Probe))
            throw new ArgumentException($"a finding needs a probe name (subject '{f.Subject}')", nameof(f));
        if (string.IsNullOrWhiteSpace(f.ScoreName))
            throw new ArgumentException($"finding {f.Probe}/{f.Subject} needs a score name", nameof(f));
        return new FindingRow
        {
            Probe = f.Probe,
            Subject = f.Subject ?? "",
            Severity = f.Severity.ToName(),
            SeverityRank = f.Severity.ToRank(),
            Score = f.Score,
            ScoreName = f.ScoreName,
            MaxScore = f.MaxScore,
            Evidence = f.Evidence ?? "",
            Secret = f.Secret,
            Rank = f.Rank,
            Queries = f.Queries,
            CreatedUtc = f.CreatedUtc,
        };
    }

    private static Finding FromRow(string path, int index, FindingRow r)
    {
        if (!SeverityNames.TryParse(r.Severity, out Severity severity))
            throw new MemScanException(
                $"{path}: row {index} has severity '{r.Severity}' (expected info, low, medium, high or critical)");
        if (severity.ToRank() != r.SeverityRank)
            throw new MemScanException(
                $"{path}: row {index} has severity '{r.Severity}' but severity_rank {r.SeverityRank} (expected {severity.ToRank()})");
        return new Finding
        {
            Probe = r.Probe ?? "",
            Subject = r.Subject ?? "",
            Severity = severity,
            Score = r.Score,
            ScoreName = r.ScoreName ?? "",
            MaxScore = r.MaxScore,
            Evidence = r.Evidence ?? "",
            Secret = r.Secret,
            Rank = r.Rank,
            Queries = r.Queries,
            CreatedUtc = r.CreatedUtc,
        };
    }
}
