namespace MemScan.Scanner.Results;

/// <summary>
/// <c>triage.parquet</c> beside a run's findings: every triage decision ever made, written
/// atomically (the whole file is rewritten with the new decision appended; triage files are small).
/// Written by memscan-tui, read by <c>memscan report</c>.
/// </summary>
public static class TriageTable
{
    public const string FileName = "triage.parquet";

    /// <summary>Column names in file order.</summary>
    public static IReadOnlyList<string> ColumnNames => ParquetTable<TriageRecord>.ColumnNames;

    /// <summary>The triage file of the run in <paramref name="runFolder"/>.</summary>
    public static string PathIn(string runFolder) => Path.Combine(runFolder, FileName);

    /// <summary>Every decision in file order; a missing file has none (nothing triaged yet).</summary>
    public static async Task<IReadOnlyList<TriageRecord>> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
            return [];
        IReadOnlyList<TriageRecord> rows = await ParquetTable<TriageRecord>.ReadAsync(path, cancellationToken)
            .ConfigureAwait(false);
        for (int i = 0; i < rows.Count; i++)
        {
            if (!TriageStatusNames.TryParse(rows[i].Status, out _))
                throw new MemScanException(
                    $"{path}: row {i} has status '{rows[i].Status}' (expected confirmed, false_positive, accepted_risk or untriaged)");
        }
        return rows;
    }

    /// <summary>Writes exactly <paramref name="records"/> (atomically, owner-only).</summary>
    public static Task WriteAsync(string path, IEnumerable<TriageRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        List<TriageRecord> list = records.ToList();
        foreach (TriageRecord r in list)
        {
            if (string.IsNullOrEmpty(r.FindingKey))
                throw new ArgumentException("a triage record needs a finding key", nameof(records));
            if (!TriageStatusNames.TryParse(r.Status, out _))
                throw new ArgumentException(
                    $"triage of {r.FindingKey}: status must be confirmed, false_positive, accepted_risk or untriaged, got '{r.Status}'",
                    nameof(records));
        }
        return ParquetTable<TriageRecord>.WriteAsync(path, list, cancellationToken);
    }

    /// <summary>
    /// Adds one decision, keeping the earlier ones. Read-modify-write: two analysts saving the same
    /// run at the same instant can lose one decision, never corrupt the file.
    /// </summary>
    public static async Task AppendAsync(string path, TriageRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        IReadOnlyList<TriageRecord> existing = await ReadAsync(path, cancellationToken).ConfigureAwait(false);
        await WriteAsync(path, [.. existing, record], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The current decision per finding key: the one with the latest <c>updated_utc</c>; on a tie,
    /// the one written later in the file. A finding whose latest decision is <c>untriaged</c> (a
    /// cleared mark) has no current decision and is left out.
    /// </summary>
    public static IReadOnlyDictionary<string, TriageRecord> Latest(IEnumerable<TriageRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var latest = new Dictionary<string, TriageRecord>(StringComparer.Ordinal);
        foreach (TriageRecord r in records)
        {
            if (!latest.TryGetValue(r.FindingKey, out TriageRecord? seen) || r.UpdatedUtc >= seen.UpdatedUtc)
                latest[r.FindingKey] = r;
        }
        foreach ((string key, TriageRecord r) in latest)
            if (r.Status == TriageStatus.Untriaged.ToName())
                latest.Remove(key);
        return latest;
    }

    /// <summary>Reads the file and returns <see cref="Latest"/> of it.</summary>
    public static async Task<IReadOnlyDictionary<string, TriageRecord>> ReadLatestAsync(
        string path, CancellationToken cancellationToken = default) =>
        Latest(await ReadAsync(path, cancellationToken).ConfigureAwait(false));
}
