using MemScan.Tui.Data;
using Terminal.Gui.Views;

namespace MemScan.Tui.Views;

/// <summary>
/// The runs list as a table: id, status, worst severity, model, start date, probes. What an analyst
/// decides on comes first, so an 80-column terminal shows it without scrolling right.
/// </summary>
internal sealed class RunsTableSource(IReadOnlyList<RunEntry> runs) : ITableSource
{
    public IReadOnlyList<RunEntry> Runs { get; } = runs;

    public string[] ColumnNames { get; } = ["run", "status", "worst", "model", "started (UTC)", "probes"];

    /// <summary>The column of <see cref="RunEntry.WorstText"/> (drawn in its severity's colour).</summary>
    public const int WorstColumn = 2;
    public int Columns => ColumnNames.Length;
    public int Rows => Runs.Count;

    public object this[int row, int col]
    {
        get
        {
            RunEntry r = Runs[row];
            return col switch
            {
                0 => r.IsSweep ? "sweeps/" + r.Id : r.Id,
                1 => r.Status,
                2 => r.WorstText,
                3 => r.IsSweep ? $"{r.Rows:N0} rows" : r.Model,
                4 => r.Started,
                _ => r.Probes,
            };
        }
    }
}
