using MemScan.Scanner.Results;
using Terminal.Gui.Drawing;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace MemScan.Tui.Views;

/// <summary>
/// The colours of the triage screen, every role set explicitly. Terminal.Gui derives the roles it
/// is not given from the terminal's default colours, and where the terminal does not report them
/// (tmux, many SSH sessions) a read-only text view came out grey on grey. Explicit colours read the
/// same everywhere; the tests check the rendered screen for any cell drawn in its own background.
/// </summary>
internal static class TriageTheme
{
    public static readonly Color Background = new(0x1c, 0x1c, 0x1c);
    public static readonly Color Text = new(0xd7, 0xd7, 0xd7);
    public static readonly Color Dim = new(0x9e, 0x9e, 0x9e);
    public static readonly Color SelectionBackground = new(0x5f, 0xaf, 0xd7);
    public static readonly Color SelectionText = new(0x00, 0x00, 0x00);
    public static readonly Color InactiveSelectionBackground = new(0x4e, 0x4e, 0x4e);
    public static readonly Color Accent = new(0xff, 0xd7, 0x5f);
    public static readonly Color InputBackground = new(0x3a, 0x3a, 0x3a);
    public static readonly Color Corrupt = new(0xff, 0x5f, 0x5f);

    /// <summary>The screen's scheme: light grey on near-black, a blue bar for the focused selection.</summary>
    public static Scheme Base { get; } = new()
    {
        Normal = new Attribute(Text, Background),
        HotNormal = new Attribute(Accent, Background),
        Focus = new Attribute(SelectionText, SelectionBackground),
        HotFocus = new Attribute(SelectionText, SelectionBackground, TextStyle.Underline),
        Active = new Attribute(Text, InactiveSelectionBackground),
        HotActive = new Attribute(Accent, InactiveSelectionBackground),
        Highlight = new Attribute(Text, InactiveSelectionBackground),
        Editable = new Attribute(Text, InputBackground),
        ReadOnly = new Attribute(Text, Background),
        Disabled = new Attribute(Dim, Background),
    };

    /// <summary>The help overlay: the base colours on a lighter panel, so it stands out from the panes below.</summary>
    public static Scheme Help { get; } = Base with
    {
        Normal = new Attribute(Text, InputBackground),
        ReadOnly = new Attribute(Text, InputBackground),
        Focus = new Attribute(Text, InputBackground),
    };

    /// <summary>The foreground of a severity: red critical, orange high, yellow medium, blue low, grey info.</summary>
    public static Color Of(Severity severity) => severity switch
    {
        Severity.Critical => new Color(0xff, 0x5f, 0x5f),
        Severity.High => new Color(0xff, 0xaf, 0x5f),
        Severity.Medium => new Color(0xff, 0xd7, 0x5f),
        Severity.Low => new Color(0x87, 0xaf, 0xff),
        _ => Dim,
    };

    /// <summary>A cell in a severity's colour; the selection bar keeps its own colours so it stays readable.</summary>
    public static Scheme ForSeverity(Severity severity) => SeveritySchemes[(int)severity];

    private static readonly Scheme[] SeveritySchemes =
        Enum.GetValues<Severity>().Order().Select(s => Base with
        {
            Normal = new Attribute(Of(s), Background, s == Severity.Critical ? TextStyle.Bold : TextStyle.None),
            // the selected row of a pane without focus keeps the colour; the focused bar keeps its own
            Active = new Attribute(Of(s), InactiveSelectionBackground),
            Disabled = new Attribute(Of(s), Background),
        }).ToArray();

    /// <summary>A runs-list row that could not be read in full.</summary>
    public static Scheme CorruptRow { get; } = Base with { Normal = new Attribute(Corrupt, Background) };
}
