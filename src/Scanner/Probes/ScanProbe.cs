using MemScan.Scanner.Results;

namespace MemScan.Scanner.Probes;

/// <summary>
/// The one shape every probe has for the scans that drive it (<c>memscan scan</c>,
/// <c>memscan vision</c>): its name, the settings that decide its results (run.json records them
/// and <c>--resume</c> refuses a run whose settings differ), whether it can run on these inputs and
/// why not, running it (which writes its tables), reading its tables back for a resumed run, and
/// its findings. <see cref="ProbeLoop"/> drives a list of them; each instance serves one scan and
/// keeps what it measured or read back for that scan's report.
/// </summary>
/// <typeparam name="TContext">What the scan hands every probe: the model, its inputs, the log.</typeparam>
public abstract class ScanProbe<TContext>
{
    /// <summary>The name in <c>--probes</c>, run.json and findings.parquet.</summary>
    public abstract string Name { get; }

    /// <summary>The tables (<c>*.parquet</c> names) the probe writes into the run folder.</summary>
    public abstract IReadOnlyList<string> Tables { get; }

    /// <summary>What decides the probe's results, as run.json records them (empty when only the inputs do).</summary>
    public abstract IReadOnlyDictionary<string, string> Settings(TContext context);

    /// <summary>Null when the probe can run on these inputs; otherwise why not (it is then left out of the scan).</summary>
    public abstract ProbeSkip? CannotRun(TContext context);

    /// <summary>Called for every probe that will run, before the first one runs: announces shared work (trees, inference).</summary>
    public virtual void Prepare(TContext context) { }

    /// <summary>Runs the probe and writes its tables into <paramref name="run"/>.</summary>
    public abstract ProbeOutcome Run(TContext context, RunFolder run);

    /// <summary>Rebuilds what <see cref="Run"/> returned from the tables and findings of a resumed run.</summary>
    public abstract ProbeOutcome ReadBack(TContext context, CompletedProbes done);
}

/// <summary>Why a probe is left out of a scan; <paramref name="Noted"/> when the user should read it among the scan's notes.</summary>
public sealed record ProbeSkip(string Reason, bool Noted = false);

/// <summary>
/// What a probe made, run or read back: its findings and notes. A probe that found, once running,
/// that it could not finish after all is not <see cref="Completed"/>: it is not marked complete and
/// only its notes are kept.
/// </summary>
public sealed record ProbeOutcome(IReadOnlyList<Finding> Findings, IReadOnlyList<string>? Notes = null, bool Completed = true)
{
    public IReadOnlyList<string> NotesOrEmpty => Notes ?? [];
}
