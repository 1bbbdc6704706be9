using MemScan.Scanner.Results;

namespace MemScan.Tui.Data;

/// <summary>
/// Which finding, by what identifies it in every scan of the run (probe, subject, metric), not by
/// its row: rows move when findings arrive, and when the table is sorted or filtered. The
/// selection and a triage decision in progress hold one of these, so a refresh never moves them
/// to another finding.
/// </summary>
internal readonly record struct FindingRef(string Probe, string Subject, string Metric)
{
    /// <summary>The key triage.parquet stores decisions under.</summary>
    public string TriageKey => TriageRecord.KeyOf(Probe, Subject, Metric);
}
