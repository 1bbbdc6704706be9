namespace MemScan.Scanner.Results;

/// <summary>Written to run.json as "running", "complete" or "failed".</summary>
public enum RunStatus
{
    /// <summary>Started and not finished: still going, or killed (a later run can resume it).</summary>
    Running,
    Complete,
    Failed,
}
