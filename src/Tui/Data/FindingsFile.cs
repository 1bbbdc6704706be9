using System.Collections;
using MemScan.Scanner;
using MemScan.Scanner.Results;
using Parquet;
using Parquet.Schema;

namespace MemScan.Tui.Data;

/// <summary>
/// A <c>findings.parquet</c> opened column by column. On open only the footer and the columns the
/// table sorts, filters and shows are read, into arrays (<see cref="FindingKeys"/>,
/// <see cref="FindingLabels"/>): the table draws any screen of any order from memory. The columns
/// only the details pane needs are decoded one row group at a time when a finding in it is
/// selected (<see cref="GetAsync"/>, off the UI thread), and only a few row groups stay cached.
/// </summary>
internal sealed class FindingsFile
{
    /// <summary>Row groups whose details stay decoded; the analyst reads one finding at a time.</summary>
    private const int CachedRowGroups = 3;

    private readonly long[] _groupStarts;
    private readonly LinkedList<(int Group, Task<FindingDetails> Details)> _cache = new();
    private readonly Lock _cacheLock = new();

    private FindingsFile(string path, long[] groupStarts, FindingKeys keys, FindingLabels labels)
    {
        _stamp = StampOf(path);
        Path = path;
        _groupStarts = groupStarts;
        Keys = keys;
        Labels = labels;
    }

    private readonly (long Length, DateTime Written) _stamp;

    public string Path { get; }

    /// <summary>
    /// Whether the file on disk is still the one read (same size and write time), so a reload of
    /// the run (e.g. after a triage decision was saved beside it) can keep these columns and orders.
    /// </summary>
    public bool IsUnchangedOnDisk => StampOf(Path) == _stamp;

    private static (long, DateTime) StampOf(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? (info.Length, info.LastWriteTimeUtc) : (-1, default);
    }

    public FindingKeys Keys { get; }
    public FindingLabels Labels { get; }
    public int RowCount => Keys.Count;
    public int RowGroupCount => _groupStarts.Length;

    /// <summary>Checks the schema and reads the table's columns. Any failure is a <see cref="MemScanException"/>.</summary>
    public static async Task<FindingsFile> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        await ParquetTable<FindingRow>.ValidateAsync(path, cancellationToken).ConfigureAwait(false);
        return await Corruption.Guard(path, async () =>
        {
            await using Stream stream = OpenRead(path);
            await using ParquetReader reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            DataField severityField = Field(reader, "severity_rank"), scoreField = Field(reader, "score"),
                probeField = Field(reader, "probe"), subjectField = Field(reader, "subject"), scoreNameField = Field(reader, "score_name"),
                maxScoreField = Field(reader, "max_score");
            int total = checked((int)reader.RowGroups.Sum(g => g.RowCount));
            var starts = new long[reader.RowGroupCount];
            var severities = new Severity[total];
            var scores = new double[total];
            var normalized = new double[total];
            var subjects = new string[total];
            var probes = new NameIndex(total);
            var scoreNames = new NameIndex(total);
            int at = 0;
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                starts[g] = at;
                using ParquetRowGroupReader group = reader.OpenRowGroupReader(g);
                int n = checked((int)group.RowCount);
                var ranks = new int[n];
                await group.ReadAsync<int>(severityField, ranks, null, cancellationToken).ConfigureAwait(false);
                for (int i = 0; i < n; i++)
                {
                    if (ranks[i] is < 0 or > 4)
                        throw new MemScanException($"{path}: row {at + i} has severity_rank {ranks[i]} (expected 0..4)");
                    severities[at + i] = (Severity)ranks[i];
                }
                await group.ReadAsync<double>(scoreField, scores.AsMemory(at, n), null, cancellationToken).ConfigureAwait(false);
                await group.ReadAsync(subjectField, subjects.AsMemory(at, n), null, cancellationToken).ConfigureAwait(false);
                for (int i = at; i < at + n; i++)
                    subjects[i] ??= "";
                var text = new string[n];
                await group.ReadAsync(probeField, text, null, cancellationToken).ConfigureAwait(false);
                probes.Add(text);
                await group.ReadAsync(scoreNameField, text, null, cancellationToken).ConfigureAwait(false);
                scoreNames.Add(text);
                var maxScores = new double?[n];
                await group.ReadAsync<double>(maxScoreField, maxScores, null, cancellationToken).ConfigureAwait(false);
                for (int i = 0; i < n; i++)
                    normalized[at + i] = NormalizedScore.Of(scores[at + i], text[i] ?? "", maxScores[i]);
                at += n;
            }
            var (probeIds, probeNames) = probes.InNameOrder();
            var (scoreNameIds, scoreNameList) = scoreNames.InNameOrder();
            return new FindingsFile(path, starts, new FindingKeys(severities, scores, normalized, probeIds, probeNames),
                new FindingLabels(subjects, scoreNameIds, scoreNameList));
        }).ConfigureAwait(false);
    }

    /// <summary>The most severe finding's severity and the row count, reading only the severity_rank column (for the runs list).</summary>
    public static async Task<(Severity? Worst, long Count)> ReadWorstAsync(string path, CancellationToken cancellationToken = default)
    {
        await ParquetTable<FindingRow>.ValidateAsync(path, cancellationToken).ConfigureAwait(false);
        return await Corruption.Guard(path, async () =>
        {
            await using Stream stream = OpenRead(path);
            await using ParquetReader reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            DataField severityField = Field(reader, "severity_rank");
            int worst = -1;
            long count = 0;
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                using ParquetRowGroupReader group = reader.OpenRowGroupReader(g);
                var ranks = new int[checked((int)group.RowCount)];
                await group.ReadAsync<int>(severityField, ranks, null, cancellationToken).ConfigureAwait(false);
                foreach (int rank in ranks)
                {
                    if (rank is < 0 or > 4)
                        throw new MemScanException($"{path}: row {count} has severity_rank {rank} (expected 0..4)");
                    worst = Math.Max(worst, rank);
                    count++;
                }
            }
            return (worst < 0 ? (Severity?)null : (Severity)worst, count);
        }).ConfigureAwait(false);
    }

    /// <summary>The finding at file row <paramref name="row"/> if its row group's details are decoded already.</summary>
    public bool TryGet(int row, out Finding? finding)
    {
        CheckRow(row);
        int group = GroupOf(row);
        lock (_cacheLock)
        {
            foreach ((int g, Task<FindingDetails> details) in _cache)
            {
                if (g == group && details.IsCompletedSuccessfully)
                {
                    finding = Build(row, group, details.Result);
                    return true;
                }
            }
        }
        finding = null;
        return false;
    }

    /// <summary>The finding at file row <paramref name="row"/>, decoding its row group's details if they are not cached.</summary>
    public async Task<Finding> GetAsync(int row, CancellationToken cancellationToken = default)
    {
        CheckRow(row);
        int group = GroupOf(row);
        return Build(row, group, await DetailsOf(group).WaitAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Blocking <see cref="GetAsync"/>, for callers without a UI thread to keep free.</summary>
    public Finding Get(int row) => Task.Run(() => GetAsync(row)).GetAwaiter().GetResult();

    /// <summary>
    /// Which rows contain <paramref name="text"/> (case-insensitive) in probe, subject, score name
    /// or evidence. The first three are in memory; evidence is streamed one row group at a time.
    /// Never the secret column, so a filter cannot be used to confirm a guess at a masked secret.
    /// </summary>
    public async Task<BitArray> MatchTextAsync(string text, CancellationToken cancellationToken = default)
    {
        var matches = new BitArray(RowCount);
        bool Has(string s) => s.Contains(text, StringComparison.OrdinalIgnoreCase);
        // a name matches for every row that has it: test each distinct name once
        bool[] probeHits = Keys.Probes.Select(Has).ToArray(), scoreNameHits = Labels.ScoreNames.Select(Has).ToArray();
        for (int i = 0; i < RowCount; i++)
            if (probeHits[Keys.ProbeIndex[i]] || scoreNameHits[Labels.ScoreNameIndex[i]] || Has(Labels.Subjects[i]))
                matches[i] = true;
        await Corruption.Guard(Path, async () =>
        {
            await using Stream stream = OpenRead(Path);
            await using ParquetReader reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            DataField evidenceField = Field(reader, "evidence");
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                using ParquetRowGroupReader group = reader.OpenRowGroupReader(g);
                var evidence = new string[checked((int)group.RowCount)];
                await group.ReadAsync(evidenceField, evidence, null, cancellationToken).ConfigureAwait(false);
                int start = (int)_groupStarts[g];
                for (int i = 0; i < evidence.Length; i++)
                    if (!matches[start + i] && evidence[i] is { } s && Has(s))
                        matches[start + i] = true;
            }
            return true;
        }).ConfigureAwait(false);
        return matches;
    }

    private void CheckRow(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, RowCount);
    }

    private Finding Build(int row, int group, FindingDetails details)
    {
        int i = row - (int)_groupStarts[group];
        return new Finding
        {
            Probe = Keys.Probes[Keys.ProbeIndex[row]],
            Subject = Labels.Subjects[row],
            Severity = Keys.Severities[row],
            Score = Keys.Scores[row],
            ScoreName = Labels.ScoreNameOf(row),
            MaxScore = details.MaxScores[i],
            Evidence = details.Evidence[i],
            Secret = details.Secrets[i],
            Rank = details.Ranks[i],
            Queries = details.Queries[i],
            CreatedUtc = details.CreatedUtc[i],
        };
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

    /// <summary>The group's details, decoding them on the thread pool once; a failed decode is not cached.</summary>
    private Task<FindingDetails> DetailsOf(int group)
    {
        lock (_cacheLock)
        {
            for (LinkedListNode<(int Group, Task<FindingDetails> Details)>? node = _cache.First; node is not null; node = node.Next)
            {
                if (node.Value.Group != group || node.Value.Details.IsFaulted || node.Value.Details.IsCanceled)
                    continue;
                _cache.Remove(node);
                _cache.AddFirst(node);
                return node.Value.Details;
            }
            _cache.AddFirst((group, Task.Run(() => DecodeDetailsAsync(group))));
            while (_cache.Count > CachedRowGroups)
                _cache.RemoveLast();
            return _cache.First!.Value.Details;
        }
    }

    private Task<FindingDetails> DecodeDetailsAsync(int group) => Corruption.Guard(Path, async () =>
    {
        await using Stream stream = OpenRead(Path);
        await using ParquetReader reader = await ParquetReader.CreateAsync(stream).ConfigureAwait(false);
        using ParquetRowGroupReader rows = reader.OpenRowGroupReader(group);
        int n = checked((int)rows.RowCount), start = (int)_groupStarts[group];
        var severityNames = new string[n];
        await rows.ReadAsync(Field(reader, "severity"), severityNames, null).ConfigureAwait(false);
        for (int i = 0; i < n; i++)
        {
            // the same check as FindingRow.ToFinding: the name and the rank must agree
            if (!SeverityNames.TryParse(severityNames[i], out Severity severity))
                throw new MemScanException(
                    $"{Path}: row {start + i} has severity '{severityNames[i]}' (expected info, low, medium, high or critical)");
            if (severity != Keys.Severities[start + i])
                throw new MemScanException(
                    $"{Path}: row {start + i} has severity '{severityNames[i]}' but severity_rank {(int)Keys.Severities[start + i]} (expected {severity.ToRank()})");
        }
        var evidence = new string[n];
        var secrets = new string?[n];
        var maxScores = new double?[n];
        var ranks = new long?[n];
        var queries = new long?[n];
        var created = new DateTime[n];
        await rows.ReadAsync(Field(reader, "evidence"), evidence, null).ConfigureAwait(false);
        for (int i = 0; i < n; i++)
            evidence[i] ??= "";
        await rows.ReadAsync(Field(reader, "secret"), secrets, null).ConfigureAwait(false);
        await rows.ReadAsync<double>(Field(reader, "max_score"), maxScores, null).ConfigureAwait(false);
        await rows.ReadAsync<long>(Field(reader, "rank"), ranks, null).ConfigureAwait(false);
        await rows.ReadAsync<long>(Field(reader, "queries"), queries, null).ConfigureAwait(false);
        await rows.ReadAsync<DateTime>(Field(reader, "created_utc"), created, null).ConfigureAwait(false);
        return new FindingDetails(evidence, secrets, maxScores, ranks, queries, created);
    }, $"row group {group}: ");

    private static DataField Field(ParquetReader reader, string name) =>
        reader.Schema.DataFields.FirstOrDefault(f => f.Name == name)
        ?? throw new MemScanException($"findings table has no column '{name}'");

    private static Stream OpenRead(string path) => InputFile.OpenRead(path, "findings table", ParquetFooterCheck.MaxTableBytes);
}
