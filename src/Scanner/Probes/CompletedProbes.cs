using MemScan.Scanner.Results;

namespace MemScan.Scanner.Probes;

/// <summary>
/// What the probes a resumed run had already completed wrote, read back instead of run again: their
/// findings from findings.parquet (written with each completed probe, so evidence and creation times
/// stay those of the first run), their notes from run.json and their tables. Each
/// <see cref="ScanProbe{TContext}"/> reads back its own rows through it.
/// </summary>
public sealed class CompletedProbes
{
    readonly IReadOnlyList<Finding> _findings;
    readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _notes;

    CompletedProbes(RunFolder run, IReadOnlySet<string> names, IReadOnlyList<Finding> findings, IReadOnlyDictionary<string, IReadOnlyList<string>> notes)
    {
        Run = run;
        Names = names;
        _findings = findings;
        _notes = notes;
    }

    public RunFolder Run { get; }

    /// <summary>The probes run.json lists as complete.</summary>
    public IReadOnlySet<string> Names { get; }

    public bool Contains(string probe) => Names.Contains(probe);

    /// <summary>Reads run.json's completed probes and, when there are any, findings.parquet.</summary>
    public static CompletedProbes Read(RunFolder run)
    {
        var info = run.ReadInfo();
        var names = info.CompletedProbes.ToHashSet(StringComparer.Ordinal);
        if (names.Count == 0) return new CompletedProbes(run, names, [], info.ProbeNotes);
        if (!File.Exists(run.FindingsPath))
            throw new MemScanException($"run {run.RunId} lists {names.Count} completed probes but {run.FindingsPath} is missing; start a new run");
        var findings = FindingsTable.ReadAsync(run.FindingsPath).GetAwaiter().GetResult();
        return new CompletedProbes(run, names, findings, info.ProbeNotes);
    }

    public IReadOnlyList<Finding> FindingsOf(string probe) => _findings.Where(f => f.Probe == probe).ToList();

    /// <summary>The one finding a probe makes about <paramref name="subject"/>; a run without it was changed since it was written.</summary>
    public Finding FindingOf(string probe, string subject) =>
        _findings.FirstOrDefault(f => f.Probe == probe && f.Subject == subject)
        ?? throw new MemScanException($"run {Run.RunId} lists probe '{probe}' as complete but findings.parquet has no {probe} finding about '{subject}'; start a new run");

    /// <summary>The notes the probe printed when it ran (empty when it printed none).</summary>
    public IReadOnlyList<string> NotesOf(string probe) => _notes.GetValueOrDefault(probe) ?? [];

    /// <summary>Every row of one of <paramref name="probe"/>'s tables, through the schema-checking reader.</summary>
    public IReadOnlyList<T> Rows<T>(string probe) where T : class, IParquetRow, new() =>
        ParquetTable<T>.ReadAsync(TablePath(probe, T.TableName)).GetAwaiter().GetResult();

    /// <summary>The path of a table <paramref name="probe"/> wrote, which must exist: the probe is listed complete.</summary>
    public string TablePath(string probe, string table)
    {
        string path = Run.TablePath(table);
        if (!File.Exists(path))
            throw new MemScanException($"run {Run.RunId} lists probe '{probe}' as complete but {path} is missing; start a new run");
        return path;
    }
}
