using System.Globalization;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Probes.Discoverable;

/// <summary>The discoverable-memorization probe in a scan: the training samples, discoverable.parquet.</summary>
public sealed class DiscoverableScanProbe : ScanProbe<LmProbeContext>
{
    /// <summary>The exact-extraction rate per prompt length, measured or recomputed from the table.</summary>
    public IReadOnlyList<DiscoverableRate> Rates { get; private set; } = [];

    public override string Name => DiscoverableProbe.Name;
    public override IReadOnlyList<string> Tables => [DiscoverableRow.TableName];

    public override IReadOnlyDictionary<string, string> Settings(LmProbeContext context)
    {
        var c = CultureInfo.InvariantCulture;
        var s = context.Discoverable;
        return new Dictionary<string, string>
        {
            ["prefix_lengths"] = string.Join(",", s.PrefixLengths),
            ["suffix_tokens"] = s.SuffixTokens.ToString(c),
            ["max_samples"] = s.MaxSamples.ToString(c),
        };
    }

    public override ProbeSkip? CannotRun(LmProbeContext context) => context.Samples.Count > 0 ? null : new ProbeSkip("no training samples");

    public override ProbeOutcome Run(LmProbeContext context, RunFolder run)
    {
        context.Log($"discoverable memorization on {Math.Min(context.Samples.Count, context.Discoverable.MaxSamples)} training samples");
        var (rows, rates) = new DiscoverableProbe(context.Model, context.Tokenizer, context.Discoverable, context.Log).Run(context.Samples);
        Rates = rates;
        ParquetTable<DiscoverableRow>.WriteAsync(run.TablePath(DiscoverableRow.TableName), rows).GetAwaiter().GetResult();
        return new ProbeOutcome(DiscoverableProbe.ToFindings(rates, rows).ToList());
    }

    /// <summary>The rates recomputed from discoverable.parquet as the probe computes them.</summary>
    public override ProbeOutcome ReadBack(LmProbeContext context, CompletedProbes done)
    {
        var rows = done.Rows<DiscoverableRow>(Name);
        Rates = context.Discoverable.PrefixLengths.Select(k =>
        {
            var at = rows.Where(r => r.PrefixTokens == k).ToList();
            double matched = 0;
            foreach (var r in at) matched += r.MatchedTokens;
            return at.Count == 0 ? new DiscoverableRate(k, 0, 0, 0) : new DiscoverableRate(k, at.Count, at.Count(r => r.Exact), matched / at.Count);
        }).ToList();
        return new ProbeOutcome(done.FindingsOf(Name));
    }
}
