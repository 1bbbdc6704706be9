using System.Globalization;
using MemScan.Scanner.Results;
using MemScan.Tui.Data;
using Terminal.Gui.Views;

namespace MemScan.Tui.Views;

/// <summary>
/// The findings table as the view pages through it: <see cref="Order"/> maps a view row to a file
/// row and only the rows on screen are fetched (a row group at a time) from the
/// <see cref="FindingsFile"/>. Nothing per row is allocated up front, so a million findings scroll.
/// </summary>
internal sealed class FindingsTableSource(RunSession session, int[] order) : ITableSource
{
    public RunSession Session { get; } = session;
    public int[] Order { get; } = order;

    public string[] ColumnNames { get; } = ["severity", "probe", "subject", "score", "triage"];
    public int Columns => ColumnNames.Length;
    public int Rows => Order.Length;

    public Finding FindingAt(int row) => Session.Findings!.Get(Order[row]);

    public object this[int row, int col]
    {
        get
        {
            Finding f = FindingAt(row);
            return col switch
            {
                0 => f.Severity.ToName(),
                1 => f.Probe,
                2 => f.Subject,
                3 => f.Score.ToString("0.###", CultureInfo.InvariantCulture) + " " + f.ScoreName,
                _ => Session.TriageOf(f)?.Status ?? "",
            };
        }
    }
}
