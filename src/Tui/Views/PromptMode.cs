namespace MemScan.Tui.Views;

/// <summary>What the one-line prompt at the bottom is collecting.</summary>
internal enum PromptMode
{
    None,

    /// <summary>Free-text filter for the findings table.</summary>
    Filter,

    /// <summary>The note of a triage decision being made.</summary>
    TriageNote,
}
