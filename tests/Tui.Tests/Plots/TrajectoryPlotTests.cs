using System.Text.Json.Serialization;
using MemScan.Scanner.Results;
using MemScan.Tui.Data;
using MemScan.Tui.Plots;
using Xunit;

namespace MemScan.Tui.Tests.Plots;

/// <summary>
/// A folder holding memscan trajectory's trajectory.parquet shows exposure-vs-step per insertion
/// count and accuracy-vs-step curves in the plots pane, read through the same session load as any run.
/// </summary>
public class TrajectoryPlotTests
{
    /// <summary>The columns of trajectory.parquet the TUI reads (the scanner's TrajectoryRow, trimmed).</summary>
    public sealed record Row : IParquetRow
    {
        public static string TableName => "trajectory";
        [JsonPropertyName("step")] public long Step { get; init; }
        [JsonPropertyName("unit")] public string Unit { get; init; } = "step";
        [JsonPropertyName("subject")] public string Subject { get; init; } = "";
        [JsonPropertyName("subject_kind")] public string SubjectKind { get; init; } = "";
        [JsonPropertyName("insertions")] public int? Insertions { get; init; }
        [JsonPropertyName("exposure_bits")] public double? ExposureBits { get; init; }
        [JsonPropertyName("log2_space")] public double? Log2Space { get; init; }
        [JsonPropertyName("accuracy")] public double? Accuracy { get; init; }
        [JsonPropertyName("train_accuracy")] public double? TrainAccuracy { get; init; }
        [JsonPropertyName("test_accuracy")] public double? TestAccuracy { get; init; }
    }

    static async Task<RunPlotData> LoadAsync(IEnumerable<Row> rows)
    {
        string dir = Path.Combine(Path.GetTempPath(), "memscan-tui-trajectory-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        await ParquetTable<Row>.WriteAsync(Path.Combine(dir, TrajectoryCurves.FileName), rows);
        var session = await RunSession.LoadAsync(new RunEntry { Id = "trajectory", Path = dir, Problem = "no run.json" });
        return session.Plots;
    }

    [Fact]
    public async Task Exposure_per_insertion_count_and_accuracy_are_drawn_against_step()
    {
        var rows = new List<Row>();
        foreach (var (step, hot, cold1, cold2) in new[] { (10L, 5.0, 1.0, 3.0), (20L, 10.0, 1.0, 1.0), (30L, 20.0, 2.0, 0.0) })
        {
            rows.Add(new Row { Step = step, Subject = "pin-64", SubjectKind = "canary", Insertions = 64, ExposureBits = hot, Log2Space = 20 });
            rows.Add(new Row { Step = step, Subject = "pin-0a", SubjectKind = "canary", Insertions = 0, ExposureBits = cold1, Log2Space = 20 });
            rows.Add(new Row { Step = step, Subject = "pin-0b", SubjectKind = "canary", Insertions = 0, ExposureBits = cold2, Log2Space = 20 });
            rows.Add(new Row { Step = step, Subject = "model", SubjectKind = "model", TrainAccuracy = step / 30.0, TestAccuracy = 0.5 });
            rows.Add(new Row { Step = step, Subject = "noise", SubjectKind = "group", Accuracy = step == 30 ? 1 : 0 });
        }
        var plots = await LoadAsync(rows);

        var t = plots.Trajectory!;
        Assert.Equal(["64x", "0x"], t.Exposure.Select(c => c.Label));
        // the 0x curve is the mean of its two canaries at each step
        Assert.Equal([2.0, 1.0, 1.0], t.Exposure[1].Points.Select(p => p.Value));
        Assert.Equal(20, t.MaxExposureBits);
        Assert.Equal(["train", "test", "noise"], t.Accuracy.Select(c => c.Label));

        var lines = RunPlotsText.Build(plots, 70);
        int top = lines.ToList().FindIndex(l => l.StartsWith("Exposure vs step", StringComparison.Ordinal));
        Assert.True(top >= 0, string.Join("\n", lines));
        // 64x reaches the top of the axis (20 bits, log2 of the space) at the last step: top row, last column
        Assert.EndsWith("|" + new string(' ', 70 - 10 - 1) + "*", lines[top + 1]);
        Assert.StartsWith("      20 |", lines[top + 1]);
        // the 0x curve stays on the bottom rows
        Assert.Contains('o', lines[top + 10]);
        Assert.DoesNotContain('o', string.Join("", lines.Skip(top + 1).Take(7)));
        Assert.Contains("* 64x   o 0x", lines[top + 13]);

        int accuracy = lines.ToList().FindIndex(l => l.StartsWith("Accuracy vs step", StringComparison.Ordinal));
        Assert.True(accuracy > top);
        Assert.Contains("* train   o test   + noise", lines[accuracy + 13]);
        // noise: 0 until the last snapshot, then 1 (top right, drawn last over train's 1.0)
        Assert.EndsWith("+", lines[accuracy + 1]);
        Assert.StartsWith("       0 |+", lines[accuracy + 10]);
    }

    [Fact]
    public void A_chart_without_points_says_there_is_no_data()
    {
        var lines = TextLineChart.Render([new Curve("64x", [])], 60, 5, "Exposure vs step", "step");
        Assert.Equal("  (no data)", lines[^1]);
    }
}
