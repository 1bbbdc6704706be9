using MemScan.Tui.Data;

namespace MemScan.Tui.Plots;

/// <summary>Every plot a run has data for, stacked into one text block for the plots pane.</summary>
internal static class RunPlotsText
{
    public static IReadOnlyList<string> Build(RunPlotData data, int width)
    {
        ArgumentNullException.ThrowIfNull(data);
        var lines = new List<string>();
        void Section(IEnumerable<string> plot)
        {
            if (lines.Count > 0)
                lines.Add("");
            lines.AddRange(plot);
        }
        if (data.ExposureBits.Count > 0)
            Section(TextHistogram.Render(data.ExposureBits, width, 8, "Exposure per canary", "bits", 0, data.MaxExposureBits));
        if (data.Roc.Count > 0)
            Section(TextRocChart.Render(data.Roc, Math.Min(width, 60), 12, $"ROC ({data.RocSource})"));
        if (data.Losses.Count > 0)
            Section(TextLossComparison.Render(data.Losses, width, 10, $"Loss, members vs non-members ({data.LossSource})"));
        if (data.Trajectory is { } t)
        {
            if (t.Exposure.Count > 0)
                Section(TextLineChart.Render(t.Exposure, width, 10, "Exposure vs " + t.Unit + ", per insertion count (bits, mean over canaries)", t.Unit, 0, t.MaxExposureBits));
            if (t.Accuracy.Count > 0)
                Section(TextLineChart.Render(t.Accuracy, width, 10, "Accuracy vs " + t.Unit, t.Unit, 0, 1));
        }
        if (data.ColumnName is not null)
            Section(TextHistogram.Render(data.ColumnValues, width, 8, $"Distribution of {data.ColumnName}"));
        if (lines.Count == 0)
            lines.Add("No plottable tables in this run (exposure.parquet, trajectory.parquet, a table with fpr/tpr, or one with loss/is_member).");
        return lines;
    }
}
