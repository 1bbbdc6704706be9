using System.Collections.Concurrent;
using MemScan.Scanner;
using MemScan.Scanner.Results;
using Parquet.Schema;

namespace MemScan.Tui.Data;

/// <summary>
/// Everything the TUI shows about one opened run (or sweep): its findings (lazily), canaries,
/// triage decisions and plot data. A corrupt table becomes a line in <see cref="Problems"/> and an
/// empty part of the session, never an exception: the rest of the run stays usable.
/// </summary>
internal sealed class RunSession
{
    // concurrent: a decision is saved on the thread pool while the UI thread draws the triage column
    private readonly ConcurrentDictionary<string, TriageRecord> _triage;

    private RunSession(RunEntry entry, FindingsFile? findings, SortedOrders? orders, IReadOnlyDictionary<string, CanaryExposure> canaries,
        ConcurrentDictionary<string, TriageRecord> triage, RunPlotData plots, IReadOnlyList<string> problems)
    {
        Entry = entry;
        Findings = findings;
        Canaries = canaries;
        _triage = triage;
        Plots = plots;
        Problems = problems;
        Orders = orders ?? new SortedOrders(Keys);
    }

    public RunEntry Entry { get; }
    public FindingsFile? Findings { get; }
    public FindingKeys Keys => Findings?.Keys ?? FindingKeys.Empty;
    public FindingLabels Labels => Findings?.Labels ?? FindingLabels.Empty;

    /// <summary>The findings' sorted permutations, computed once per sort.</summary>
    public SortedOrders Orders { get; }

    /// <summary>exposure.parquet rows by canary id.</summary>
    public IReadOnlyDictionary<string, CanaryExposure> Canaries { get; }

    /// <summary>The current decision per finding key.</summary>
    public IReadOnlyDictionary<string, TriageRecord> Triage => _triage;

    public RunPlotData Plots { get; }
    public IReadOnlyList<string> Problems { get; }

    public string TriagePath => TriageTable.PathIn(Entry.Path);

    /// <param name="previous">The session this one replaces (a live refresh): its findings columns and
    /// sorted orders are kept when findings.parquet has not changed on disk since, so saving a triage
    /// decision (which refreshes the run) does not re-read and re-sort a million findings.</param>
    public static async Task<RunSession> LoadAsync(RunEntry entry, RunSession? previous = null, CancellationToken cancellationToken = default)
    {
        if (entry.IsSweep)
            return await LoadSweepAsync(entry, cancellationToken).ConfigureAwait(false);
        var problems = new List<string>();
        if (entry.Info is null && entry.Problem is not null)
            problems.Add(entry.Problem);

        FindingsFile? findings = null;
        SortedOrders? orders = null;
        string findingsPath = Path.Combine(entry.Path, FindingsTable.FileName);
        if (previous is { Findings: { IsUnchangedOnDisk: true } kept } && kept.Path == findingsPath)
            (findings, orders) = (kept, previous.Orders);
        else if (File.Exists(findingsPath))
            findings = await Try(() => FindingsFile.OpenAsync(findingsPath, cancellationToken), problems).ConfigureAwait(false);

        IReadOnlyDictionary<string, CanaryExposure> canaries = new Dictionary<string, CanaryExposure>();
        string exposurePath = Path.Combine(entry.Path, ExposureTable.FileName);
        if (File.Exists(exposurePath))
        {
            IReadOnlyList<CanaryExposure>? rows =
                await Try(() => ExposureTable.ReadAsync(exposurePath, cancellationToken), problems).ConfigureAwait(false);
            if (rows is not null)
                canaries = rows.GroupBy(r => r.CanaryId).ToDictionary(g => g.Key, g => g.Last());
        }

        IReadOnlyDictionary<string, TriageRecord>? triage = await Try(
            () => TriageTable.ReadLatestAsync(TriageTable.PathIn(entry.Path), cancellationToken), problems).ConfigureAwait(false);

        RunPlotData plots = await LoadPlotsAsync(entry.Path, canaries.Values, problems, cancellationToken).ConfigureAwait(false);
        var current = new ConcurrentDictionary<string, TriageRecord>(triage ?? new Dictionary<string, TriageRecord>());
        if (previous is not null && previous.Entry.Path == entry.Path)
        {
            // a decision saved while this load read the file may be missing from what it read: keep the newer one
            foreach ((string key, TriageRecord record) in previous._triage)
                if (!current.TryGetValue(key, out TriageRecord? read) || read.UpdatedUtc < record.UpdatedUtc)
                    current[key] = record;
        }
        return new RunSession(entry, findings, orders, canaries, current, plots, problems);
    }

    /// <summary>Makes <paramref name="record"/> (saved through another session of this run) the current decision here too.</summary>
    public void Remember(TriageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _triage.AddOrUpdate(record.FindingKey, record, (_, had) => had.UpdatedUtc > record.UpdatedUtc ? had : record);
    }

    /// <summary>Saves a decision to triage.parquet and makes it the current one for its finding.</summary>
    public Task<TriageRecord> MarkAsync(Finding finding, TriageStatus status, string note, CancellationToken cancellationToken = default) =>
        MarkAsync(TriageRecord.KeyOf(finding), status, note, cancellationToken);

    /// <summary>Saves a decision for the finding with key <paramref name="findingKey"/> (<see cref="TriageRecord.KeyOf(Finding)"/>).</summary>
    public async Task<TriageRecord> MarkAsync(string findingKey, TriageStatus status, string note, CancellationToken cancellationToken = default)
    {
        TriageRecord record = TriageRecord.Create(findingKey, status, note);
        await TriageTable.AppendAsync(TriagePath, record, cancellationToken).ConfigureAwait(false);
        _triage[record.FindingKey] = record;
        return record;
    }

    public TriageRecord? TriageOf(Finding finding) => TriageOf(TriageRecord.KeyOf(finding));

    /// <summary>The current decision, or null when there is none or the latest one cleared the mark.</summary>
    public TriageRecord? TriageOf(string findingKey) =>
        _triage.TryGetValue(findingKey, out TriageRecord? r) && r.Status != TriageStatus.Untriaged.ToName() ? r : null;

    /// <summary>The triage key of file row <paramref name="row"/>, from the columns in memory.</summary>
    public string KeyOf(int row) => RefOf(row).TriageKey;

    /// <summary>What identifies file row <paramref name="row"/> across refreshes, from the columns in memory.</summary>
    public FindingRef RefOf(int row) => new(Keys.Probes[Keys.ProbeIndex[row]], Labels.Subjects[row], Labels.ScoreNameOf(row));

    /// <summary>The file row of the finding <paramref name="finding"/> names, or null when this session has none such.</summary>
    public int? RowOf(FindingRef finding)
    {
        int probe = IndexOf(Keys.Probes, finding.Probe), metric = IndexOf(Labels.ScoreNames, finding.Metric);
        if (probe < 0 || metric < 0)
            return null;
        int[] probes = Keys.ProbeIndex, metrics = Labels.ScoreNameIndex;
        string[] subjects = Labels.Subjects;
        // one pass over ints, comparing the subject string only where probe and metric already match
        for (int row = 0; row < probes.Length; row++)
            if (probes[row] == probe && metrics[row] == metric && string.Equals(subjects[row], finding.Subject, StringComparison.Ordinal))
                return row;
        return null;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
            if (string.Equals(names[i], name, StringComparison.Ordinal))
                return i;
        return -1;
    }

    /// <summary>The canary a finding is about, when its subject is a canary id of exposure.parquet.</summary>
    public CanaryExposure? CanaryOf(Finding finding) =>
        Canaries.TryGetValue(finding.Subject, out CanaryExposure? c) ? c : null;

    private static async Task<RunPlotData> LoadPlotsAsync(string folder, IEnumerable<CanaryExposure> canaries,
        List<string> problems, CancellationToken ct)
    {
        List<CanaryExposure> rows = canaries.ToList();
        var plots = new RunPlotData
        {
            ExposureBits = rows.Select(c => c.ExposureBits).ToArray(),
            MaxExposureBits = rows.Count == 0 ? null : rows.Max(c => c.Log2Space),
        };
        foreach (string path in Directory.EnumerateFiles(folder, "*.parquet").Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(path);
            if (name is FindingsTable.FileName or ExposureTable.FileName or TriageTable.FileName)
                continue;
            IReadOnlyList<DataField>? fields = await Try(() => ParquetColumns.FieldsAsync(path, ct), problems).ConfigureAwait(false);
            if (fields is null)
                continue;
            bool Has(string column) => fields.Any(f => f.Name == column && ParquetColumns.IsNumeric(f));
            if (name == TrajectoryCurves.FileName)
            {
                plots = plots with { Trajectory = await Try(() => TrajectoryCurves.ReadAsync(path, ct), problems).ConfigureAwait(false) };
                continue;
            }
            if (plots.Roc.Count == 0 && Has("fpr") && Has("tpr"))
            {
                double[][]? c = await Try(() => ParquetColumns.ReadAsync(path, ["fpr", "tpr"], ct), problems).ConfigureAwait(false);
                if (c is not null)
                    plots = plots with { Roc = c[0].Zip(c[1], (f, t) => new RocPoint(f, t)).ToArray(), RocSource = name };
            }
            if (plots.Losses.Count == 0 && Has("loss") && Has("is_member"))
            {
                double[][]? c = await Try(() => ParquetColumns.ReadAsync(path, ["loss", "is_member"], ct), problems).ConfigureAwait(false);
                if (c is not null)
                    plots = plots with { Losses = c[0].Zip(c[1], (l, m) => new MemberLoss(l, m != 0)).ToArray(), LossSource = name };
            }
        }
        return plots;
    }

    private static async Task<RunSession> LoadSweepAsync(RunEntry entry, CancellationToken ct)
    {
        var problems = new List<string>();
        string? column = null;
        var values = new List<double>();
        foreach (HivePart part in HiveFolder.ListParts(entry.Path))
        {
            IReadOnlyList<DataField>? fields = await Try(() => ParquetColumns.FieldsAsync(part.Path, ct), problems).ConfigureAwait(false);
            if (fields is null)
                continue;
            // plot the first numeric column every part has: the sweep's score
            column ??= fields.FirstOrDefault(f => ParquetColumns.IsNumeric(f) && f.Name != "shard")?.Name;
            if (column is null || !fields.Any(f => f.Name == column))
                continue;
            double[][]? c = await Try(() => ParquetColumns.ReadAsync(part.Path, [column], ct), problems).ConfigureAwait(false);
            if (c is not null)
                values.AddRange(c[0]);
        }
        var plots = new RunPlotData { ColumnName = column, ColumnValues = values };
        return new RunSession(entry, null, null, new Dictionary<string, CanaryExposure>(), new(), plots, problems);
    }

    private static async Task<T?> Try<T>(Func<Task<T>> read, List<string> problems) where T : class
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (MemScanException e)
        {
            problems.Add(e.Message);
            return null;
        }
    }
}
