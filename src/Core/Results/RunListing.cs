namespace MemScan.Scanner.Results;

/// <summary>
/// One entry of <see cref="RunFolder.List"/>: a run with its info, or a corrupt run folder
/// (unreadable or missing run.json) with the reason in <see cref="Problem"/>.
/// </summary>
public sealed record RunListing(string RunId, string Path, RunInfo? Info, string? Problem)
{
    public bool IsCorrupt => Info is null;
}
