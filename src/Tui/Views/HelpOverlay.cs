using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace MemScan.Tui.Views;

/// <summary>
/// The key help (? or F1): every key of <see cref="KeyHelp.Entries"/>, drawn over the panes,
/// scrollable when the screen is shorter than the list. Esc, ?, F1 or q closes it.
/// </summary>
internal sealed class HelpOverlay : FrameView
{
    private readonly TextView _text;

    public HelpOverlay()
    {
        Title = "Keys (Esc closes)";
        Visible = false;
        X = Pos.Center();
        Y = Pos.Center();
        string text = KeyHelp.Text();
        int longest = text.Split('\n').Max(l => l.Length);
        // as wide as the longest line, as tall as the list, within the screen
        Width = Dim.Func(_ => Math.Min(longest + 4, Math.Max(20, (SuperView?.Viewport.Width ?? 80) - 2)));
        Height = Dim.Func(_ => Math.Min(KeyHelp.Entries.Count + 2, Math.Max(5, (SuperView?.Viewport.Height ?? 24) - 2)));
        SetScheme(TriageTheme.Help);
        _text = new TextView
        {
            X = 0, Y = 0, Width = Dim.Fill(), Height = Dim.Fill(), ReadOnly = true, WordWrap = false, CanFocus = true, Text = text,
        };
        Add(_text);
    }

    /// <summary>The view that scrolls the list (gets the arrow and page keys while the help is open).</summary>
    public View Scroller => _text;

    public void Open()
    {
        Visible = true;
        _text.SetFocus();
    }

    public void Close() => Visible = false;
}
