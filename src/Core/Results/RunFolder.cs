using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MemScan.Scanner.Results;

/// <summary>
/// <c>runs/&lt;run-id&gt;/</c>: run.json plus one Parquet table per probe and findings.parquet.
/// Created owner-only (0700). Obtain one with <see cref="Create"/> or <see cref="Open"/>.
/// </summary>
public sealed class RunFolder
{
    public const string InfoFileName = "run.json";

    private RunFolder(string path, string runId)
    {
        Path = path;
        RunId = runId;
    }

    public string Path { get; }
    public string RunId { get; }
    public string InfoPath => System.IO.Path.Combine(Path, InfoFileName);
    public string FindingsPath => System.IO.Path.Combine(Path, FindingsTable.FileName);

    /// <summary><c>&lt;run&gt;/&lt;name&gt;.parquet</c>, e.g. TablePath("exposure").</summary>
    public string TablePath(string name)
    {
        CheckName(name, "table name");
        return System.IO.Path.Combine(Path, name + ".parquet");
    }

    /// <summary>
    /// <c>20261125-193300-&lt;model-stem&gt;-&lt;4 hex&gt;</c>: sorts by start time, says which model, and
    /// the random tail keeps two runs started in the same second apart.
    /// </summary>
    public static string NewRunId(string modelPath, DateTime startedUtc)
    {
        string stem = System.IO.Path.GetFileNameWithoutExtension(modelPath);
        var safe = new StringBuilder(stem.Length);
        foreach (char c in stem)
            safe.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' ? c : '-');
        string model = safe.ToString().Trim('-', '.');
        if (model.Length > 40)
            model = model[..40].TrimEnd('-', '.');
        if (model.Length == 0)
            model = "model";
        return string.Create(CultureInfo.InvariantCulture,
            $"{Utc.Normalize(startedUtc):yyyyMMdd-HHmmss}-{model}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}");
    }

    /// <summary>
    /// Refuses a <c>--runs</c> folder that cannot hold run folders: a file, or a path below a file.
    /// A folder that does not exist yet is fine (it is created with the first run).
    /// </summary>
    public static void CheckRunsRoot(string runsRoot, string option = "--runs")
    {
        string full = System.IO.Path.GetFullPath(runsRoot);
        for (string? dir = full; dir is not null; dir = System.IO.Path.GetDirectoryName(dir))
        {
            if (Directory.Exists(dir)) return;
            if (File.Exists(dir))
                throw new MemScanException(dir == full
                    ? $"{option} {runsRoot} is a file, not a folder"
                    : $"{option} {runsRoot} cannot be created: {dir} is a file, not a folder");
        }
    }

    /// <summary>Throws a <see cref="MemScanException"/> unless <paramref name="runId"/> is a safe folder name.</summary>
    public static void ValidateRunId(string runId) => CheckName(runId, "run id");

    /// <summary>
    /// Creates <c>&lt;runsRoot&gt;/&lt;info.RunId&gt;/</c> and writes its run.json (status "running").
    /// Refuses an existing folder: results of two runs never mix.
    /// </summary>
    public static RunFolder Create(string runsRoot, RunInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        ValidateRunId(info.RunId);
        string path = System.IO.Path.Combine(runsRoot, info.RunId);
        if (Directory.Exists(path) || File.Exists(path))
            throw new MemScanException($"run folder {path} already exists; choose another run id");
        try
        {
            AtomicFile.CreatePrivateDirectory(runsRoot);
            Directory.CreateDirectory(path);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(path, AtomicFile.PrivateFolderMode);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MemScanException($"cannot create run folder {path}: {e.Message}", e);
        }
        var folder = new RunFolder(path, info.RunId);
        folder.WriteInfo(info with { Status = RunStatus.Running, FinishedUtc = null, Error = null });
        return folder;
    }

    /// <summary>
    /// Reopens <c>&lt;runsRoot&gt;/&lt;wanted.RunId&gt;/</c> to continue it (<c>--resume</c>): refuses a
    /// run that is complete, or whose model or probe settings differ from <paramref name="wanted"/>
    /// (<see cref="ResumeCheck"/>); otherwise marks it running again, keeping its start time, its
    /// completed probes and their timings. Call it holding the folder's <see cref="RunLock"/>: it
    /// deletes the temp files a killed writer left, which must not belong to a live one.
    /// </summary>
    public static RunFolder Resume(string runsRoot, RunInfo wanted)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        ValidateRunId(wanted.RunId);
        string path = System.IO.Path.Combine(runsRoot, wanted.RunId);
        if (!Directory.Exists(path))
            throw new MemScanException($"run folder {path} does not exist: nothing to resume (drop --resume to start run {wanted.RunId})");
        var folder = new RunFolder(path, wanted.RunId);
        RunInfo existing = folder.ReadInfo();
        if (existing.Status == RunStatus.Complete)
            throw new MemScanException(
                $"run {wanted.RunId} is complete: nothing to resume; choose another --run-id to scan again");
        if (ResumeCheck.Difference(existing, wanted) is { } why)
            throw new MemScanException($"cannot resume run {wanted.RunId}: {why}");
        foreach (string temp in Directory.EnumerateFiles(path, ".*" + AtomicFile.TempSuffix))
            AtomicFile.TryDelete(temp);
        folder.WriteInfo(existing with { Status = RunStatus.Running, FinishedUtc = null, Error = null });
        return folder;
    }

    /// <summary>Opens an existing run folder, checking that its run.json reads.</summary>
    public static RunFolder Open(string path)
    {
        string trimmed = System.IO.Path.TrimEndingDirectorySeparator(path);
        if (!Directory.Exists(trimmed))
            throw new MemScanException($"run folder {path} does not exist");
        var folder = new RunFolder(trimmed, System.IO.Path.GetFileName(trimmed));
        folder.ReadInfo();
        return folder;
    }

    public RunInfo ReadInfo() => RunInfo.Read(InfoPath);

    public void WriteInfo(RunInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (info.RunId != RunId)
            throw new ArgumentException($"run.json for {RunId} cannot carry run id {info.RunId}", nameof(info));
        info.Write(InfoPath);
    }

    /// <summary>
    /// Records that <paramref name="probe"/>'s tables and findings are written (run.json's
    /// completed_probes, its timing and its notes, if any), atomically: a resume skips exactly the
    /// probes recorded here.
    /// </summary>
    public RunInfo MarkProbeComplete(string probe, double seconds, IReadOnlyList<string>? notes = null)
    {
        RunInfo info = ReadInfo();
        var timings = new Dictionary<string, double>(info.TimingsSeconds) { [probe] = seconds };
        var probeNotes = new Dictionary<string, IReadOnlyList<string>>(info.ProbeNotes);
        if (notes is { Count: > 0 }) probeNotes[probe] = notes.ToList();
        else probeNotes.Remove(probe);
        RunInfo next = info with
        {
            CompletedProbes = info.CompletedProbes.Contains(probe) ? info.CompletedProbes : [.. info.CompletedProbes, probe],
            TimingsSeconds = timings,
            ProbeNotes = probeNotes,
        };
        WriteInfo(next);
        return next;
    }

    /// <summary>Marks the run complete, merging <paramref name="timingsSeconds"/> into the recorded timings.</summary>
    public RunInfo MarkComplete(DateTime finishedUtc, IReadOnlyDictionary<string, double>? timingsSeconds = null) =>
        Finish(RunStatus.Complete, finishedUtc, error: null, timingsSeconds);

    /// <summary>Marks the run failed with the reason.</summary>
    public RunInfo MarkFailed(DateTime finishedUtc, string error, IReadOnlyDictionary<string, double>? timingsSeconds = null) =>
        Finish(RunStatus.Failed, finishedUtc, error, timingsSeconds);

    private RunInfo Finish(RunStatus status, DateTime finishedUtc, string? error, IReadOnlyDictionary<string, double>? timings)
    {
        RunInfo info = ReadInfo();
        var merged = new Dictionary<string, double>(info.TimingsSeconds);
        if (timings is not null)
            foreach ((string probe, double seconds) in timings)
                merged[probe] = seconds;
        RunInfo done = info with { Status = status, FinishedUtc = finishedUtc, Error = error, TimingsSeconds = merged };
        WriteInfo(done);
        return done;
    }

    /// <summary>
    /// The runs under <paramref name="runsRoot"/>, newest first (by started_utc; a corrupt run by
    /// its folder's modification time). A folder with a missing or corrupt run.json is listed with
    /// <see cref="RunListing.Problem"/> set, never thrown. Hidden folders are skipped.
    /// </summary>
    public static IReadOnlyList<RunListing> List(string runsRoot)
    {
        if (!Directory.Exists(runsRoot))
            return [];
        var runs = new List<(RunListing Run, DateTime When)>();
        foreach (string dir in Directory.EnumerateDirectories(runsRoot))
        {
            string id = System.IO.Path.GetFileName(dir);
            if (id.StartsWith('.'))
                continue;
            try
            {
                RunInfo info = RunInfo.Read(System.IO.Path.Combine(dir, InfoFileName));
                runs.Add((new RunListing(id, dir, info, null), info.StartedUtc));
            }
            catch (MemScanException e)
            {
                runs.Add((new RunListing(id, dir, null, e.Message), Directory.GetLastWriteTimeUtc(dir)));
            }
        }
        return runs
            .OrderByDescending(r => r.When)
            .ThenByDescending(r => r.Run.RunId, StringComparer.Ordinal)
            .Select(r => r.Run)
            .ToList();
    }

    private static void CheckName(string name, string what)
    {
        if (string.IsNullOrWhiteSpace(name) || name is "." or ".." || name.StartsWith('.') ||
            name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-')))
            throw new MemScanException(
                $"{what} '{name}' is not a safe folder or file name (use letters, digits, '-', '_', '.'; not starting with '.')");
    }
}
