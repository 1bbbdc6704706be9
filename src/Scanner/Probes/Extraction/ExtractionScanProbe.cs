using System.Globalization;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Probes.Extraction;

/// <summary>The extraction probe in a scan: every canary, extraction.parquet.</summary>
public sealed class ExtractionScanProbe : ScanProbe<LmProbeContext>
{
    /// <summary>One result per canary, extracted or read back.</summary>
    public IReadOnlyList<ExtractionResult> Results { get; private set; } = [];

    public override string Name => ExtractionProbe.Name;
    public override IReadOnlyList<string> Tables => [ExtractionRow.TableName];

    public override IReadOnlyDictionary<string, string> Settings(LmProbeContext context)
    {
        var c = CultureInfo.InvariantCulture;
        return new Dictionary<string, string>
        {
            ["top_k"] = context.Extraction.TopK.ToString(c),
            ["max_queries"] = context.Extraction.MaxQueries.ToString(c),
            ["background_samples"] = context.Extraction.BackgroundSamples.ToString(c),
            ["seed"] = context.Extraction.Seed.ToString(c),
        };
    }

    public override ProbeSkip? CannotRun(LmProbeContext context) => context.Canaries.Count > 0 ? null : new ProbeSkip("no canaries");

    public override void Prepare(LmProbeContext context)
    {
        foreach (var canary in context.Canaries) context.Trees.ExpectUse(canary);
    }

    public override ProbeOutcome Run(LmProbeContext context, RunFolder run)
    {
        var probe = new ExtractionProbe(context.Model, context.Trees, context.Extraction);
        var extraction = new List<ExtractionResult>();
        foreach (var canary in context.Canaries)
        {
            context.Log($"extraction for {canary.Id} (budget {context.Extraction.MaxQueries:N0} model rows)");
            extraction.Add(probe.Extract(canary));
        }
        ParquetTable<ExtractionRow>.WriteAsync(run.TablePath(ExtractionRow.TableName), extraction.SelectMany(e => e.Rows)).GetAwaiter().GetResult();
        Results = extraction;
        return new ProbeOutcome(extraction.Select(ExtractionProbe.ToFinding).ToList());
    }

    /// <summary>
    /// One result per canary, as the probe returned it: the rows from extraction.parquet, and the
    /// order of the secret and the model rows spent from the canary's finding (the table lacks them).
    /// </summary>
    public override ProbeOutcome ReadBack(LmProbeContext context, CompletedProbes done)
    {
        var rows = done.Rows<ExtractionRow>(Name).ToLookup(r => r.CanaryId);
        var findings = done.FindingsOf(Name);
        var bySubject = findings.ToDictionary(f => f.Subject);
        Results = context.Canaries.Select(c =>
        {
            var finding = bySubject.GetValueOrDefault(c.Id)
                ?? throw new MemScanException($"run {done.Run.RunId}: findings.parquet has no extraction finding for canary '{c.Id}'; the manifest changed since the run started: start a new run");
            return new ExtractionResult(c, rows[c.Id].OrderBy(r => r.Order).ToList(), c.HasSecret ? finding.Rank : null,
                finding.Queries ?? 0, 0, BudgetExhausted: false);
        }).ToList();
        return new ProbeOutcome(findings);
    }
}
