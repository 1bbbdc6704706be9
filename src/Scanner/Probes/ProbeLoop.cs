using System.Diagnostics;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Probes;

/// <summary>
/// The one loop both scans run their probes through. Every probe that applies is either read back
/// (a resumed run lists it complete) or run; a probe run is recorded complete only after its tables
/// and the findings so far are on disk (<see cref="IProbeRecorder"/>), so a scan killed at any point
/// resumes where it stopped.
/// </summary>
public static class ProbeLoop
{
    /// <summary>The probes <paramref name="wanted"/> that can run; the reasons of those that cannot and say so go to <paramref name="notes"/>.</summary>
    public static List<ScanProbe<TContext>> Applicable<TContext>(IEnumerable<ScanProbe<TContext>> probes, Func<string, bool> wanted,
        TContext context, ICollection<string>? notes = null)
    {
        var result = new List<ScanProbe<TContext>>();
        foreach (var probe in probes.Where(p => wanted(p.Name)))
        {
            if (probe.CannotRun(context) is not { } skip) result.Add(probe);
            else if (skip.Noted) notes?.Add(skip.Reason);
        }
        return result;
    }

    /// <summary>
    /// Prepares the probes that will run, then reads back or runs each in order, adding their
    /// findings and notes to <paramref name="findings"/> and <paramref name="notes"/>.
    /// </summary>
    public static void Run<TContext>(IReadOnlyList<ScanProbe<TContext>> probes, TContext context, IProbeRecorder recorder,
        List<Finding> findings, List<string> notes)
    {
        var done = recorder.Done;
        foreach (var probe in probes.Where(p => !done.Contains(p.Name))) probe.Prepare(context);
        foreach (var probe in probes)
        {
            if (done.Contains(probe.Name))
            {
                var back = probe.ReadBack(context, done);
                findings.AddRange(back.Findings);
                notes.AddRange(back.NotesOrEmpty);
                continue;
            }
            var watch = Stopwatch.StartNew();
            var outcome = probe.Run(context, recorder.Folder);
            findings.AddRange(outcome.Findings);
            if (outcome.Completed) recorder.ProbeComplete(probe.Name, watch.Elapsed.TotalSeconds, findings, outcome.Notes);
            notes.AddRange(outcome.NotesOrEmpty);
        }
    }
}

/// <summary>Where <see cref="ProbeLoop"/> records a probe complete: the scan's run folder (<c>Scanning.ScanRun</c>).</summary>
public interface IProbeRecorder
{
    RunFolder Folder { get; }
    CompletedProbes Done { get; }
    void ProbeComplete(string probe, double seconds, IReadOnlyList<Finding> findings, IReadOnlyList<string>? notes = null);
}
