using System.Globalization;
using MemScan.Scanner.Results;
using MemScan.Tui.Data;
using Terminal.Gui.Views;

namespace MemScan.Tui.Views;

/// <summary>
/// The findings table as the view pages through it: <see cref="Order"/> maps a view row to a file
/// row, and a cell is formatted from the columns in memory (<see cref="FindingKeys"/>,
/// <see cref="FindingLabels"/>) only when the view draws it. Nothing is read from the file and
/// nothing per row is allocated up front, so any screen of a sorted million-row view draws at once.
/// </summary>
internal sealed class FindingsTableSource(RunSession session, int[] order, FindingsQuery query) : ITableSource
{
    public RunSession Session { get; } = session;
    public int[] Order { get; } = order;

    /// <summary>The query <see cref="Order"/> answers (the window may already want a newer one).</summary>
    public FindingsQuery Query { get; } = query;

    public string[] ColumnNames { get; } = ["severity", "probe", "subject", "score", "triage"];
    public int Columns => ColumnNames.Length;
    public int Rows => Order.Length;

    /// <summary>The file row shown at view row <paramref name="row"/>.</summary>
    public int FileRowAt(int row) => Order[row];

    /// <summary>The severity of the finding at view row <paramref name="row"/> (its cell's colour).</summary>
    public Severity SeverityAt(int row) => Session.Keys.Severities[Order[row]];

    public object this[int row, int col]
    {
        get
        {
            int r = Order[row];
            FindingKeys keys = Session.Keys;
            FindingLabels labels = Session.Labels;
            return col switch
            {
                0 => keys.Severities[r].ToName(),
                1 => keys.Probes[keys.ProbeIndex[r]],
                2 => labels.Subjects[r],
                3 => keys.Scores[r].ToString("0.###", CultureInfo.InvariantCulture) + " " + labels.ScoreNameOf(r),
                _ => Session.TriageOf(Session.KeyOf(r))?.Status ?? "",
            };
        }
    }
}
