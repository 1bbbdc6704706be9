using System.Collections;
using MemScan.Scanner;
using MemScan.Scanner.Results;
using Parquet;
using Parquet.Schema;
using Parquet.Serialization;

namespace MemScan.Tui.Data;

/// <summary>
/// A <c>findings.parquet</c> opened lazily: on open only the footer and the sort/filter columns
/// (<see cref="FindingKeys"/>) are read; whole findings are deserialized one row group at a time
/// when the table view scrolls to them, and only a few row groups stay cached. A million-row run
/// therefore opens in the time it takes to read three columns.
/// </summary>
internal sealed class FindingsFile
{
    /// <summary>Row groups kept decoded; the view shows one screen, so two or three are plenty.</summary>
    private const int CachedRowGroups = 3;

    private readonly long[] _groupStarts;
    private readonly LinkedList<(int Group, Finding[] Rows)> _cache = new();
    private readonly Lock _cacheLock = new();

    private FindingsFile(string path, long[] groupStarts, FindingKeys keys)
    {
        Path = path;
        _groupStarts = groupStarts;
        Keys = keys;
    }

    public string Path { get; }
    public FindingKeys Keys { get; }
    public int RowCount => Keys.Count;
    public int RowGroupCount => _groupStarts.Length;

    /// <summary>Checks the schema and reads the key columns. Any failure is a <see cref="MemScanException"/>.</summary>
    public static async Task<FindingsFile> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        await ParquetTable<FindingRow>.ValidateAsync(path, cancellationToken).ConfigureAwait(false);
        try
        {
            await using FileStream stream = OpenRead(path);
            await using ParquetReader reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            DataField severityField = Field(reader, "severity_rank"), scoreField = Field(reader, "score"),
                probeField = Field(reader, "probe");
            var starts = new long[reader.RowGroupCount];
            var severities = new List<Severity>();
            var scores = new List<double>();
            var probeIds = new List<int>();
            var probeNames = new Dictionary<string, int>(StringComparer.Ordinal);
            long total = 0;
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                starts[g] = total;
                using ParquetRowGroupReader group = reader.OpenRowGroupReader(g);
                int n = checked((int)group.RowCount);
                var sev = new int[n];
                var score = new double[n];
                var probe = new string[n];
                await group.ReadAsync<int>(severityField, sev, null, cancellationToken).ConfigureAwait(false);
                await group.ReadAsync<double>(scoreField, score, null, cancellationToken).ConfigureAwait(false);
                await group.ReadAsync(probeField, probe, null, cancellationToken).ConfigureAwait(false);
                for (int i = 0; i < n; i++)
                {
                    if (sev[i] is < 0 or > 4)
                        throw new MemScanException($"{path}: row {total + i} has severity_rank {sev[i]} (expected 0..4)");
                    severities.Add((Severity)sev[i]);
                    scores.Add(score[i]);
                    string name = probe[i] ?? "";
                    if (!probeNames.TryGetValue(name, out int id))
                        probeNames[name] = id = probeNames.Count;
                    probeIds.Add(id);
                }
                total += n;
            }
            // renumber probes in name order so sorting by probe index sorts by probe name
            string[] sorted = probeNames.Keys.Order(StringComparer.Ordinal).ToArray();
            int[] remap = new int[sorted.Length];
            for (int i = 0; i < sorted.Length; i++)
                remap[probeNames[sorted[i]]] = i;
            int[] ids = probeIds.Select(id => remap[id]).ToArray();
            return new FindingsFile(path, starts, new FindingKeys(severities.ToArray(), scores.ToArray(), ids, sorted));
        }
        catch (Exception e) when (e is not (MemScanException or OperationCanceledException))
        {
            throw new MemScanException($"{path} is corrupt: {e.Message}", e);
        }
    }

    /// <summary>
    /// The finding at file row <paramref name="row"/>, decoding its row group if it is not cached.
    /// Called from the UI thread while drawing: row groups are what the writer chose, usually small.
    /// </summary>
    public Finding Get(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, RowCount);
        int group = GroupOf(row);
        Finding[] rows = RowGroup(group);
        return rows[row - _groupStarts[group]];
    }

    /// <summary>
    /// The findings at <paramref name="rows"/> (file rows, any order), decoding each row group they
    /// fall in once. A sorted view scatters its screen across many row groups; fetching a screen's
    /// rows together keeps that to one decode per group instead of one per row.
    /// </summary>
    public IReadOnlyDictionary<int, Finding> GetMany(IEnumerable<int> rows)
    {
        var found = new Dictionary<int, Finding>();
        foreach (IGrouping<int, int> group in rows.Distinct().GroupBy(GroupOf))
        {
            Finding[] decoded = RowGroup(group.Key);
            foreach (int row in group)
                found[row] = decoded[row - _groupStarts[group.Key]];
        }
        return found;
    }

    /// <summary>
    /// Which rows contain <paramref name="text"/> (case-insensitive) in probe, subject, score name
    /// or evidence. Streams the text columns one row group at a time; never the secret column, so a
    /// filter cannot be used to confirm a guess at a masked secret.
    /// </summary>
    public async Task<BitArray> MatchTextAsync(string text, CancellationToken cancellationToken = default)
    {
        var matches = new BitArray(RowCount);
        try
        {
            await using FileStream stream = OpenRead(Path);
            await using ParquetReader reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            DataField[] fields = new[] { "probe", "subject", "score_name", "evidence" }.Select(n => Field(reader, n)).ToArray();
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                using ParquetRowGroupReader group = reader.OpenRowGroupReader(g);
                int n = checked((int)group.RowCount);
                var column = new string[n];
                foreach (DataField field in fields)
                {
                    await group.ReadAsync(field, column, null, cancellationToken).ConfigureAwait(false);
                    for (int i = 0; i < n; i++)
                        if (column[i] is { } s && s.Contains(text, StringComparison.OrdinalIgnoreCase))
                            matches[(int)_groupStarts[g] + i] = true;
                }
            }
        }
        catch (Exception e) when (e is not (MemScanException or OperationCanceledException))
        {
            throw new MemScanException($"{Path} is corrupt: {e.Message}", e);
        }
        return matches;
    }

    /// <summary>The most severe finding's severity, reading only the severity_rank column (for the runs list).</summary>
    public static async Task<(Severity? Worst, long Count)> ReadWorstAsync(string path, CancellationToken cancellationToken = default)
    {
        FindingsFile file = await OpenAsync(path, cancellationToken).ConfigureAwait(false);
        return (file.Keys.Worst, file.RowCount);
    }

    private int GroupOf(int row)
    {
        int i = Array.BinarySearch(_groupStarts, (long)row);
        if (i >= 0)
        {
            // empty row groups share a start with the next one: take the last group starting here
            while (i + 1 < _groupStarts.Length && _groupStarts[i + 1] == row)
                i++;
            return i;
        }
        return ~i - 1;
    }

    private Finding[] RowGroup(int group)
    {
        lock (_cacheLock)
        {
            for (LinkedListNode<(int Group, Finding[] Rows)>? node = _cache.First; node is not null; node = node.Next)
            {
                if (node.Value.Group != group)
                    continue;
                _cache.Remove(node);
                _cache.AddFirst(node);
                return node.Value.Rows;
            }
        }
        Finding[] rows = Decode(group);
        lock (_cacheLock)
        {
            _cache.AddFirst((group, rows));
            while (_cache.Count > CachedRowGroups)
                _cache.RemoveLast();
        }
        return rows;
    }

    private Finding[] Decode(int group)
    {
        try
        {
            // Task.Run: the UI thread has a synchronization context, and blocking it on an await
            // that wants to resume there would deadlock
            IList<FindingRow> rows = Task.Run(async () =>
            {
                await using FileStream stream = OpenRead(Path);
                return (await ParquetSerializer.DeserializeAsync<FindingRow>(stream, rowGroupIndex: group)
                    .ConfigureAwait(false)).Data;
            }).GetAwaiter().GetResult();
            var findings = new Finding[rows.Count];
            for (int i = 0; i < rows.Count; i++)
                findings[i] = rows[i].ToFinding(Path, _groupStarts[group] + i);
            return findings;
        }
        catch (Exception e) when (e is not MemScanException)
        {
            throw new MemScanException($"{Path} is corrupt: row group {group}: {e.Message}", e);
        }
    }

    private static DataField Field(ParquetReader reader, string name) =>
        reader.Schema.DataFields.FirstOrDefault(f => f.Name == name)
        ?? throw new MemScanException($"findings table has no column '{name}'");

    private static FileStream OpenRead(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, useAsync: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MemScanException($"cannot read {path}: {e.Message}", e);
        }
    }
}
