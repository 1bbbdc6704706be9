namespace MemScan.Scanner.Results;

/// <summary>
/// How bad a finding is. The numeric value is the <c>severity_rank</c> column (0..4) and the order:
/// compare severities with <c>&lt;</c> / <c>&gt;=</c> (e.g. against <c>--fail-on</c>).
/// </summary>
public enum Severity
{
    Info = 0,
    Low = 1,
    Medium = 2,
    High = 3,
    Critical = 4,
}

/// <summary>The lowercase names used in Parquet, JSON and on the command line.</summary>
public static class SeverityNames
{
    public const Severity Lowest = Severity.Info;
    public const Severity Highest = Severity.Critical;

    /// <summary>All severities, lowest first.</summary>
    public static IReadOnlyList<Severity> All { get; } =
        [Severity.Info, Severity.Low, Severity.Medium, Severity.High, Severity.Critical];

    /// <summary>"info", "low", "medium", "high" or "critical".</summary>
    public static string ToName(this Severity severity) => severity switch
    {
        Severity.Info => "info",
        Severity.Low => "low",
        Severity.Medium => "medium",
        Severity.High => "high",
        Severity.Critical => "critical",
        _ => throw new ArgumentOutOfRangeException(nameof(severity), (int)severity,
            $"severity must be 0..4, got {(int)severity}"),
    };

    /// <summary>The <c>severity_rank</c> column value, 0 (info) .. 4 (critical).</summary>
    public static int ToRank(this Severity severity) => IsDefined(severity)
        ? (int)severity
        : throw new ArgumentOutOfRangeException(nameof(severity), (int)severity,
            $"severity must be 0..4, got {(int)severity}");

    public static bool IsDefined(this Severity severity) =>
        severity is >= Severity.Info and <= Severity.Critical;

    /// <summary>Parses a name (case-insensitive, surrounding blanks ignored).</summary>
    public static bool TryParse(string? text, out Severity severity)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "info": severity = Severity.Info; return true;
            case "low": severity = Severity.Low; return true;
            case "medium": severity = Severity.Medium; return true;
            case "high": severity = Severity.High; return true;
            case "critical": severity = Severity.Critical; return true;
            default: severity = default; return false;
        }
    }

    /// <summary>Parses a name or throws a <see cref="MemScanException"/> listing the valid names.</summary>
    public static Severity Parse(string? text) => TryParse(text, out Severity s)
        ? s
        : throw new MemScanException(
            $"unknown severity '{text}' (expected info, low, medium, high or critical)");

    /// <summary>The severity whose rank is <paramref name="rank"/>, or a <see cref="MemScanException"/>.</summary>
    public static Severity FromRank(int rank) => rank is >= 0 and <= 4
        ? (Severity)rank
        : throw new MemScanException($"severity rank must be 0..4, got {rank}");
}
