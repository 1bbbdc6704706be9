namespace MemScan.Scanner.Results;

/// <summary>An analyst's decision about one finding, stored in <c>triage.parquet</c>.</summary>
public enum TriageStatus
{
    /// <summary>The finding is real: the model leaks what the evidence says.</summary>
    Confirmed,

    /// <summary>The probe was wrong (e.g. a canary that is common text anyway).</summary>
    FalsePositive,

    /// <summary>Real, but the owner accepts it (e.g. the secret was public, or rotated).</summary>
    AcceptedRisk,

    /// <summary>
    /// An earlier decision withdrawn (the analyst cleared the mark): the finding counts as not
    /// triaged again, and the withdrawn decision stays in the file as an audit trail.
    /// </summary>
    Untriaged,
}

/// <summary>The snake_case names used in Parquet and on the command line.</summary>
public static class TriageStatusNames
{
    /// <summary>"confirmed", "false_positive", "accepted_risk" or "untriaged".</summary>
    public static string ToName(this TriageStatus status) => status switch
    {
        TriageStatus.Confirmed => "confirmed",
        TriageStatus.FalsePositive => "false_positive",
        TriageStatus.AcceptedRisk => "accepted_risk",
        TriageStatus.Untriaged => "untriaged",
        _ => throw new ArgumentOutOfRangeException(nameof(status), (int)status,
            $"triage status must be 0..3, got {(int)status}"),
    };

    public static bool TryParse(string? text, out TriageStatus status)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "confirmed": status = TriageStatus.Confirmed; return true;
            case "false_positive": status = TriageStatus.FalsePositive; return true;
            case "accepted_risk": status = TriageStatus.AcceptedRisk; return true;
            case "untriaged": status = TriageStatus.Untriaged; return true;
            default: status = default; return false;
        }
    }
}
