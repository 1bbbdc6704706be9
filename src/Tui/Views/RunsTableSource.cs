using MemScan.Tui.Data;
using Terminal.Gui.Views;

namespace MemScan.Tui.Views;

/// <summary>The runs list as a table: id, model, start date, status, probes, worst severity.</summary>
internal sealed class RunsTableSource(IReadOnlyList<RunEntry> runs) : ITableSource
{
    public IReadOnlyList<RunEntry> Runs { get; } = runs;

    public string[] ColumnNames { get; } = ["run", "model", "started (UTC)", "status", "probes", "worst"];
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
                1 => r.IsSweep ? $"{r.Rows:N0} rows" : r.Model,
                2 => r.Started,
                3 => r.Status,
                4 => r.Probes,
                _ => r.WorstText,
            };
        }
    }
}
