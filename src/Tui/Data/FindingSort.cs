namespace MemScan.Tui.Data;

/// <summary>The orders the findings table cycles through with 's'.</summary>
internal enum FindingSort
{
    /// <summary>Most severe first, then highest normalized score: the order an analyst works in.</summary>
    Severity,

    /// <summary>Highest <see cref="NormalizedScore"/> first (NaN last), then most severe.</summary>
    Normalized,

    /// <summary>Probe name A–Z, then most severe first, then highest normalized score.</summary>
    Probe,
}

internal static class FindingSortNames
{
    /// <summary>"severity", "normalized score" or "probe": the status line's words for the order.</summary>
    public static string ToName(this FindingSort sort) => sort switch
    {
        FindingSort.Normalized => "normalized score",
        FindingSort.Probe => "probe",
        _ => "severity",
    };
}
