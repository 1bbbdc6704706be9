using MemScan.Scanner.Results;

namespace MemScan.Tui.Data;

/// <summary>What the findings table shows: order, and the filters (all must match).</summary>
internal sealed record FindingsQuery
{
    public FindingSort Sort { get; init; } = FindingSort.Severity;

    /// <summary>Hide findings less severe than this.</summary>
    public Severity MinSeverity { get; init; } = Severity.Info;

    /// <summary>Only this probe's findings; null for all.</summary>
    public string? Probe { get; init; }

    /// <summary>Case-insensitive text in probe, subject, score name or evidence; null or empty for all.</summary>
    public string? Text { get; init; }

    public bool HasText => !string.IsNullOrEmpty(Text);

    /// <summary>One line for the status bar, e.g. "sort severity · ≥ medium · probe exposure · text 'pin'".</summary>
    public string Describe()
    {
        var parts = new List<string> { "sort " + Sort.ToName() };
        if (MinSeverity > Severity.Info)
            parts.Add(">= " + MinSeverity.ToName());
        if (Probe is not null)
            parts.Add("probe " + Probe);
        if (HasText)
            parts.Add($"text '{Text}'");
        return string.Join(" | ", parts);
    }
}
