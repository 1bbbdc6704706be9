using MemScan.Scanner.Canaries;
using MemScan.Scanner.Metrics;
using MemScan.Scanner.Probes.Discoverable;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Probes.Extraction;
using MemScan.Scanner.Probes.Membership;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Scanning;

/// <summary>
/// What the probes a resumed run had already completed wrote, read back instead of run again: their
/// findings from findings.parquet (written with each completed probe, so evidence and creation times
/// stay those of the first run) and their rows for the console report.
/// </summary>
public sealed class CompletedProbes
{
    readonly RunFolder _run;
    readonly IReadOnlyList<Finding> _findings;

    CompletedProbes(RunFolder run, IReadOnlySet<string> names, IReadOnlyList<Finding> findings)
    {
        _run = run;
        Names = names;
        _findings = findings;
    }

    /// <summary>The probes run.json lists as complete.</summary>
    public IReadOnlySet<string> Names { get; }

    public bool Contains(string probe) => Names.Contains(probe);

    /// <summary>Reads run.json's completed probes and, when there are any, findings.parquet.</summary>
    public static CompletedProbes Read(RunFolder run)
    {
        var names = run.ReadInfo().CompletedProbes.ToHashSet(StringComparer.Ordinal);
        if (names.Count == 0) return new CompletedProbes(run, names, []);
        if (!File.Exists(run.FindingsPath))
            throw new MemScanException($"run {run.RunId} lists {names.Count} completed probes but {run.FindingsPath} is missing; start a new run");
        var findings = FindingsTable.ReadAsync(run.FindingsPath).GetAwaiter().GetResult();
        return new CompletedProbes(run, names, findings);
    }

    public IReadOnlyList<Finding> FindingsOf(string probe) => _findings.Where(f => f.Probe == probe).ToList();

    public IReadOnlyList<CanaryExposure> Exposure() => ExposureTable.ReadAsync(Table(ExposureProbe.Name)).GetAwaiter().GetResult();

    /// <summary>
    /// One result per canary, as the probe returned it: the rows from extraction.parquet, and the
    /// order of the secret and the model rows spent from the canary's finding (the table lacks them).
    /// </summary>
    public IReadOnlyList<ExtractionResult> Extraction(IReadOnlyList<Canary> canaries)
    {
        var rows = ParquetTable<ExtractionRow>.ReadAsync(Table(ExtractionProbe.Name)).GetAwaiter().GetResult().ToLookup(r => r.CanaryId);
        var findings = FindingsOf(ExtractionProbe.Name).ToDictionary(f => f.Subject);
        return canaries.Select(c =>
        {
            var finding = findings.GetValueOrDefault(c.Id)
                ?? throw new MemScanException($"run {_run.RunId}: findings.parquet has no extraction finding for canary '{c.Id}'; the manifest changed since the run started: start a new run");
            return new ExtractionResult(c, rows[c.Id].OrderBy(r => r.Order).ToList(), c.HasSecret ? finding.Rank : null,
                finding.Queries ?? 0, 0, BudgetExhausted: false);
        }).ToList();
    }

    /// <summary>The exact-extraction rate per prompt length, recomputed from discoverable.parquet as the probe computes it.</summary>
    public IReadOnlyList<DiscoverableRate> Discoverable(DiscoverableSettings settings)
    {
        var rows = ParquetTable<DiscoverableRow>.ReadAsync(Table(DiscoverableProbe.Name)).GetAwaiter().GetResult();
        return settings.PrefixLengths.Select(k =>
        {
            var at = rows.Where(r => r.PrefixTokens == k).ToList();
            double matched = 0;
            foreach (var r in at) matched += r.MatchedTokens;
            return at.Count == 0 ? new DiscoverableRate(k, 0, 0, 0) : new DiscoverableRate(k, at.Count, at.Count(r => r.Exact), matched / at.Count);
        }).ToList();
    }

    public IReadOnlyList<MiaSummary> Mia() => ParquetTable<MiaSummary>.ReadAsync(Table(MiaSummary.TableName)).GetAwaiter().GetResult();

    string Table(string name)
    {
        string path = _run.TablePath(name);
        if (!File.Exists(path))
            throw new MemScanException($"run {_run.RunId} lists probe '{name}' as complete but {path} is missing; start a new run");
        return path;
    }
}
