namespace MemScan.Tui.Views;

/// <summary>
/// Every key of the triage screen, in one list: the key line at the bottom shows the short forms
/// (quit and help first, so an 80-column terminal that cuts the line keeps them), the help overlay
/// (? or F1) shows them all, and the README's table is checked against this list.
/// </summary>
internal static class KeyHelp
{
    /// <param name="Keys">The keys as the analyst presses them.</param>
    /// <param name="Short">The key line's form, or null when the key stays out of the key line.</param>
    /// <param name="Description">The help overlay's sentence.</param>
    public sealed record Entry(string Keys, string? Short, string Description);

    public static IReadOnlyList<Entry> Entries { get; } =
    [
        new("q  Ctrl+C  Ctrl+Q", "q quit", "quit"),
        new("?  F1", "? help", "show or hide this help"),
        new("Tab  Shift+Tab", "Tab pane", "next / previous pane: runs, findings, details"),
        new("↑ ↓  j k", "j/k move", "move in the focused pane (details: scroll)"),
        new("PgUp PgDn", null, "a page up / down in the focused pane"),
        new("Home End", null, "first / last row of the focused pane"),
        new("s", "s sort", "sort: severity, normalized score, probe"),
        new("p", "p probe", "show one probe's findings (cycles; then all)"),
        new("v", "v min-sev", "hide findings below a severity (cycles)"),
        new("/", "/ text", "filter by text in probe, subject, metric or evidence"),
        new("Esc", null, "close the prompt or help; else clear every filter"),
        new("c f a", "c/f/a mark", "mark the selected finding confirmed / false positive / accepted risk, with a note"),
        new("u", "u unmark", "clear the selected finding's mark"),
        new("x", "x secret", "show or mask recovered secrets (masked at start)"),
        new("g", "g plots", "plots pane: exposure histogram, ROC, member vs non-member losses"),
        new("!", "! problems", "problems pane: every table of the run that could not be read"),
        new("r", "r reload", "re-read the runs folder (it refreshes by itself too)"),
    ];

    /// <summary>The key line: the short forms, most needed first.</summary>
    public static string Line { get; } = string.Join("  ", Entries.Where(e => e.Short is not null).Select(e => e.Short));

    /// <summary>The help overlay's text, one key per line.</summary>
    public static string Text()
    {
        int width = Entries.Max(e => e.Keys.Length) + 2;
        return string.Join('\n', Entries.Select(e => e.Keys.PadRight(width) + e.Description));
    }
}
