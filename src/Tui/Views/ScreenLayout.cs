using System.Drawing;

namespace MemScan.Tui.Views;

/// <summary>
/// Where the panes go for a screen size. Wide screens put findings and details side by side; below
/// <see cref="WideFrom"/> columns they are stacked, each full width, so an 80-column terminal still
/// shows every findings column (triage included) and whole details lines. The runs pane shrinks on
/// short screens. Every pane scrolls, so nothing is out of reach at 80x24.
/// </summary>
internal readonly record struct ScreenLayout(Rectangle Runs, Rectangle Findings, Rectangle Details)
{
    /// <summary>Columns from which findings and details stand side by side.</summary>
    public const int WideFrom = 120;

    /// <summary>Rows under the panes: prompt, status line, key line.</summary>
    public const int BottomRows = 3;

    public bool IsWide => Findings.Y == Details.Y;

    public static ScreenLayout For(int width, int height)
    {
        width = Math.Max(width, 20);
        height = Math.Max(height, 12);
        int runs = Math.Clamp(height / 4, 5, 9);
        int rest = Math.Max(height - runs - BottomRows, 4);
        if (width >= WideFrom)
        {
            int left = width * 55 / 100;
            return new ScreenLayout(new Rectangle(0, 0, width, runs),
                new Rectangle(0, runs, left, rest), new Rectangle(left, runs, width - left, rest));
        }
        int findings = (rest + 1) / 2;
        return new ScreenLayout(new Rectangle(0, 0, width, runs),
            new Rectangle(0, runs, width, findings), new Rectangle(0, runs + findings, width, rest - findings));
    }
}
