using MemScan.Scanner.Results;

namespace MemScan.Scanner.Scanning;

/// <summary>
/// The run folder one scan writes, new or resumed (<c>--resume</c>), held under its
/// <see cref="RunLock"/> until disposed, with the probes it had already completed. Both scans
/// (<c>memscan scan</c>, <c>memscan vision</c>) go through it, so the rules are the same: a probe
/// is recorded complete only after its tables and findings are on disk, a resume refuses a
/// complete run or other model or settings, and run.json ends complete or failed with the reason.
/// </summary>
public sealed class ScanRun : IDisposable
{
    readonly RunLock _lock;
    readonly Dictionary<string, double> _timings = new(StringComparer.Ordinal);

    ScanRun(RunFolder folder, RunLock runLock, CompletedProbes done)
    {
        Folder = folder;
        _lock = runLock;
        Done = done;
    }

    public RunFolder Folder { get; }

    /// <summary>Probes of a resumed run that are read back, not run (none for a new run).</summary>
    public CompletedProbes Done { get; }

    /// <summary>
    /// The checks that cost nothing, made before a scan loads a model (seconds) or reads its inputs:
    /// <c>--resume</c> needs <c>--run-id</c>; the run id is a safe folder name; <c>--runs</c> is a
    /// folder or can become one; a new run's folder is not taken; a resumed run's folder exists and
    /// is not complete. A typo in any of them is one line at once, not after the model has loaded.
    /// </summary>
    public static void CheckBeforeModel(string runsRoot, string? runId, bool resume)
    {
        if (resume && runId is null)
            throw new MemScanException("--resume needs --run-id: the id of the run to continue");
        RunFolder.CheckRunsRoot(runsRoot);
        if (runId is null) return;
        RunFolder.ValidateRunId(runId);
        string path = Path.Combine(runsRoot, runId);
        if (!resume)
        {
            if (Directory.Exists(path) || File.Exists(path))
                throw new MemScanException($"run folder {path} already exists; choose another run id");
            return;
        }
        if (!Directory.Exists(path))
            throw new MemScanException($"run folder {path} does not exist: nothing to resume (drop --resume to start run {runId})");
        if (RunFolder.Open(path).ReadInfo().Status == RunStatus.Complete)
            throw new MemScanException($"run {runId} is complete: nothing to resume; choose another --run-id to scan again");
    }

    /// <summary>
    /// Creates the run folder of <paramref name="info"/>, or with <paramref name="resume"/> reopens
    /// it after <see cref="RunFolder.Resume"/> has checked that it may be continued.
    /// </summary>
    public static ScanRun Start(string runsRoot, RunInfo info, bool resume, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (!resume)
        {
            var created = RunFolder.Create(runsRoot, info);
            return new ScanRun(created, RunLock.Acquire(created.Path), CompletedProbes.Read(created));
        }
        RunFolder.ValidateRunId(info.RunId);
        string path = Path.Combine(runsRoot, info.RunId);
        if (!Directory.Exists(path))
            throw new MemScanException($"run folder {path} does not exist: nothing to resume (drop --resume to start run {info.RunId})");
        // Locked before anything is read or deleted: a scan still writing this run keeps its temp files.
        var runLock = RunLock.Acquire(path);
        try
        {
            var folder = RunFolder.Resume(runsRoot, info);
            var done = CompletedProbes.Read(folder);
            if (done.Names.Count > 0)
                log($"resuming run {folder.RunId}: {string.Join(", ", done.Names)} already complete, read back from the run folder");
            return new ScanRun(folder, runLock, done);
        }
        catch
        {
            runLock.Dispose();
            throw;
        }
    }

    /// <summary>Records a timing that is no probe's (e.g. shared inference).</summary>
    public void Time(string step, double seconds) => _timings[step] = seconds;

    /// <summary>
    /// After a probe's tables: findings.parquet with every finding so far, then run.json lists the
    /// probe as complete with its notes. Both writes are atomic and in this order, so a probe listed
    /// complete has its tables and its findings on disk whenever the scan is killed.
    /// </summary>
    public void ProbeComplete(string probe, double seconds, IReadOnlyList<Finding> findings, IReadOnlyList<string>? notes = null)
    {
        _timings[probe] = seconds;
        FindingsTable.WriteAsync(Folder.FindingsPath, findings).GetAwaiter().GetResult();
        Folder.MarkProbeComplete(probe, seconds, notes);
    }

    /// <summary>Writes the findings of every probe, read back or run, and marks the run complete.</summary>
    public void Complete(IReadOnlyList<Finding> findings)
    {
        FindingsTable.WriteAsync(Folder.FindingsPath, findings).GetAwaiter().GetResult();
        Folder.MarkComplete(DateTime.UtcNow, _timings);
    }

    /// <summary>
    /// Marks the run failed with the reason; its completed probes stay for a resume. Called while
    /// the first error is on its way up, so it never throws: when run.json cannot be written either
    /// (the disk that failed the scan is still full), it stays <c>running</c>, which a resume
    /// continues just the same, and the first error is the one the user sees.
    /// </summary>
    public void Fail(Exception error)
    {
        try
        {
            Folder.MarkFailed(DateTime.UtcNow, ErrorLine.Of(error), _timings);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or MemScanException)
        {
            // deliberately dropped: see above
        }
    }

    public void Dispose() => _lock.Dispose();
}
