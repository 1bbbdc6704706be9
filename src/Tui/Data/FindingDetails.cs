namespace MemScan.Tui.Data;

/// <summary>
/// The columns only the details pane needs (evidence, secret, max score, rank, queries, time), for
/// the rows of one row group. Decoded off the UI thread when a finding of that group is selected,
/// and kept for a few groups (<see cref="FindingsFile"/>).
/// </summary>
internal sealed record FindingDetails(
    string[] Evidence, string?[] Secrets, double?[] MaxScores, long?[] Ranks, long?[] Queries, DateTime[] CreatedUtc);
