namespace MemScan.Scanner.Probes.Membership;

/// <summary>
/// One text whose membership the probe guesses: its id (a unit id, or <c>m-000012</c> /
/// <c>n-000003</c> for line 12 of the members file / line 3 of the non-members file), the text,
/// the ground truth for the target, and a slice label for per-slice metrics ("" when none).
/// </summary>
public sealed record MiaSample(string Id, string Text, bool IsMember, string Slice);
