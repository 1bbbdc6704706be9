namespace MemScan.Tui.Data;

/// <summary>The orders the findings table cycles through with 's'.</summary>
internal enum FindingSort
{
    /// <summary>Most severe first, then highest score: the order an analyst works in.</summary>
    Severity,

    /// <summary>Highest score first (NaN last).</summary>
    Score,

    /// <summary>Probe name A–Z, then most severe first.</summary>
    Probe,
}
