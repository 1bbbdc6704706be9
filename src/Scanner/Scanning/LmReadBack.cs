using MemScan.Scanner.Canaries;
using MemScan.Scanner.Metrics;
using MemScan.Scanner.Probes.Discoverable;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Probes.Extraction;
using MemScan.Scanner.Probes.Membership;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Scanning;

/// <summary>The results of completed language-model probes, rebuilt from their tables for the console report of a resumed scan.</summary>
public static class LmReadBack
{
    public static IReadOnlyList<CanaryExposure> Exposure(this CompletedProbes done) =>
        ExposureTable.ReadAsync(done.TablePath(ExposureProbe.Name, CanaryExposure.TableName)).GetAwaiter().GetResult();

    /// <summary>
    /// One result per canary, as the probe returned it: the rows from extraction.parquet, and the
    /// order of the secret and the model rows spent from the canary's finding (the table lacks them).
    /// </summary>
    public static IReadOnlyList<ExtractionResult> Extraction(this CompletedProbes done, IReadOnlyList<Canary> canaries)
    {
        var rows = done.Rows<ExtractionRow>(ExtractionProbe.Name).ToLookup(r => r.CanaryId);
        var findings = done.FindingsOf(ExtractionProbe.Name).ToDictionary(f => f.Subject);
        return canaries.Select(c =>
        {
            var finding = findings.GetValueOrDefault(c.Id)
                ?? throw new MemScanException($"run {done.Run.RunId}: findings.parquet has no extraction finding for canary '{c.Id}'; the manifest changed since the run started: start a new run");
            return new ExtractionResult(c, rows[c.Id].OrderBy(r => r.Order).ToList(), c.HasSecret ? finding.Rank : null,
                finding.Queries ?? 0, 0, BudgetExhausted: false);
        }).ToList();
    }

    /// <summary>The exact-extraction rate per prompt length, recomputed from discoverable.parquet as the probe computes it.</summary>
    public static IReadOnlyList<DiscoverableRate> Discoverable(this CompletedProbes done, DiscoverableSettings settings)
    {
        var rows = done.Rows<DiscoverableRow>(DiscoverableProbe.Name);
        return settings.PrefixLengths.Select(k =>
        {
            var at = rows.Where(r => r.PrefixTokens == k).ToList();
            double matched = 0;
            foreach (var r in at) matched += r.MatchedTokens;
            return at.Count == 0 ? new DiscoverableRate(k, 0, 0, 0) : new DiscoverableRate(k, at.Count, at.Count(r => r.Exact), matched / at.Count);
        }).ToList();
    }

    public static IReadOnlyList<MiaSummary> Mia(this CompletedProbes done) => done.Rows<MiaSummary>(MiaProbe.Name);
}
