using MemScan.Scanner.Results;

namespace MemScan.Tui.Data;

/// <summary>One line of the runs list: a scan run, a sweep, or a folder that could not be read.</summary>
internal sealed record RunEntry
{
    public required string Id { get; init; }
    public required string Path { get; init; }
    public bool IsSweep { get; init; }
    public RunInfo? Info { get; init; }

    /// <summary>Why the run (or its findings) could not be read; the entry is still listed.</summary>
    public string? Problem { get; init; }

    public Severity? Worst { get; init; }
    public long? FindingCount { get; init; }

    /// <summary>Sweeps: parts read and rows in them, parts skipped as corrupt.</summary>
    public int Parts { get; init; }
    public long Rows { get; init; }
    public int SkippedParts { get; init; }

    public bool IsRunning => Info?.Status == RunStatus.Running;

    public string Model => Info is null ? "" : System.IO.Path.GetFileNameWithoutExtension(Info.ModelPath);

    public string Started => Info is null ? "" : Info.StartedUtc.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Something in it could not be read: run.json, findings.parquet, or a sweep part. Flagged in
    /// the list even when run.json says the run completed, since its findings may be missing.
    /// </summary>
    public bool IsCorrupt => Problem is not null || SkippedParts > 0;

    public string Status => IsSweep
        ? $"{Parts} parts" + (SkippedParts > 0 ? $", {SkippedParts} CORRUPT" : "")
        : Info is null ? "CORRUPT"
        : Info.Status.ToString().ToLowerInvariant() + (Problem is not null ? ", CORRUPT" : "");

    public string Probes => IsSweep ? "sweep" : Info is null ? "" : string.Join(",", Info.Probes.Keys);

    /// <summary>"?" when the findings could not be read: the worst severity is unknown, not "none".</summary>
    public string WorstText => Problem is not null && !IsSweep ? "?" : Worst?.ToName() ?? "-";
}
