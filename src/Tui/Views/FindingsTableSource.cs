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

    /// <summary>View rows fetched around a missing one: a screen or two, in either scroll direction.</summary>
    private const int FetchBefore = 100, FetchAfter = 200;

    /// <summary>Findings kept for the rows near the screen; cleared past this size.</summary>
    private const int CacheLimit = 5_000;

    private readonly Dictionary<int, Finding> _cache = new();

    public Finding FindingAt(int row)
    {
        if (_cache.TryGetValue(row, out Finding? cached))
            return cached;
        if (_cache.Count > CacheLimit)
            _cache.Clear();
        int from = Math.Max(0, row - FetchBefore), to = Math.Min(Order.Length, row + FetchAfter);
        IReadOnlyDictionary<int, Finding> fetched = Session.Findings!.GetMany(Order[from..to]);
        for (int r = from; r < to; r++)
            _cache[r] = fetched[Order[r]];
        return _cache[row];
    }

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
