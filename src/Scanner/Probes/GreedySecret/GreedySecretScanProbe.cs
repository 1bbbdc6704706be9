using MemScan.Scanner.Results;

namespace MemScan.Scanner.Probes.GreedySecret;

/// <summary>The greedy-secret probe in a scan (opt-in: only when named in --probes): greedy_secret.parquet.</summary>
public sealed class GreedySecretScanProbe : ScanProbe<LmProbeContext>
{
    public IReadOnlyList<GreedySecretRow> Rows { get; private set; } = [];

    public override string Name => GreedySecretProbe.Name;
    public override IReadOnlyList<string> Tables => [GreedySecretRow.TableName];

    /// <summary>No settings: the canaries (fingerprinted with the manifest) fix its rows.</summary>
    public override IReadOnlyDictionary<string, string> Settings(LmProbeContext context) => new Dictionary<string, string>();

    public override ProbeSkip? CannotRun(LmProbeContext context) =>
        !context.Requested.Contains(Name) ? new ProbeSkip("opt-in: runs only when named in --probes")
        : context.WithSecret.Count == 0 ? new ProbeSkip("no canary with a known secret") : null;

    public override ProbeOutcome Run(LmProbeContext context, RunFolder run)
    {
        context.Log($"greedy decoding of {context.WithSecret.Count} canary secrets after their prefixes");
        Rows = new GreedySecretProbe(context.Model, context.Tokenizer).Run(context.WithSecret);
        ParquetTable<GreedySecretRow>.WriteAsync(run.TablePath(GreedySecretRow.TableName), Rows).GetAwaiter().GetResult();
        return new ProbeOutcome(Rows.Select(GreedySecretProbe.ToFinding).ToList());
    }

    public override ProbeOutcome ReadBack(LmProbeContext context, CompletedProbes done)
    {
        Rows = done.Rows<GreedySecretRow>(Name);
        return new ProbeOutcome(done.FindingsOf(Name));
    }
}
