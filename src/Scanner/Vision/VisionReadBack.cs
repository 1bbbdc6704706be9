using MemScan.Scanner.Metrics;
using MemScan.Scanner.Probes.Vision;
using MemScan.Scanner.Scanning;

namespace MemScan.Scanner.Vision;

/// <summary>
/// The results of completed vision probes, rebuilt from the run folder for a resumed
/// <c>memscan vision</c>: rows from their tables, findings from findings.parquet, notes from
/// run.json, and what the report prints computed from those rows as the probe computes it.
/// </summary>
public static class VisionReadBack
{
    public static MembershipResult Membership(this CompletedProbes done) => new(
        done.Rows<MiaSummary>(MembershipProbe.Name),
        done.Rows<MiaExampleRow>(MembershipProbe.Name),
        done.NotesOf(MembershipProbe.Name),
        done.FindingOf(MembershipProbe.Name, "model"));

    public static AuditResult Audit(this CompletedProbes done)
    {
        var rows = done.Rows<AuditRow>(CanaryAuditProbe.Name);
        return new AuditResult(rows, CanaryAuditProbe.Headline(rows), done.FindingOf(CanaryAuditProbe.Name, "canaries"));
    }

    public static MemorizationResult Memorization(this CompletedProbes done)
    {
        var summary = done.Rows<MemorizationSummaryRow>(MemorizationProbe.Name);
        if (summary.Count != 1)
            throw new MemScanException($"run {done.Run.RunId}: {done.Run.TablePath(MemorizationSummaryRow.TableName)} holds {summary.Count} rows, the probe writes 1; start a new run");
        // The probe makes 0 to 2 findings depending on its inputs, k-NN ("model") before Feldman-Zhang;
        // findings.parquet sorts by severity, so the probe's order is restored.
        var findings = done.FindingsOf(MemorizationProbe.Name).OrderBy(f => f.Subject == "model" ? 0 : 1).ToList();
        return new MemorizationResult(done.Rows<MemorizationRow>(MemorizationProbe.Name), summary[0], findings, done.NotesOf(MemorizationProbe.Name));
    }

    /// <param name="classes">the model's class count (the statistics' largest entropy is ln classes)</param>
    public static PredictionStatsResult Predictions(this CompletedProbes done, int classes)
    {
        var rows = done.Rows<PredictionRow>(PredictionStatsProbe.Name);
        return new PredictionStatsResult(rows, PredictionStatsProbe.Summarize(rows, classes), done.FindingOf(PredictionStatsProbe.Name, "model"));
    }
}
