using MemScan.Scanner.Trajectory;
using MemScan.Trainer.Tests.Claims;
using Xunit;

namespace MemScan.Trainer.Tests.Studies;

/// <summary>
/// The README's "memscan trajectory DIR" outputs, held line by line at their printed values on the
/// runs the study tests already train (one torch and one ONNX Runtime thread, so deterministic):
/// a part of <see cref="TrajectoryStudyTests"/> so that the one <see cref="StudyRuns"/> fixture
/// serves both, and no model is trained twice.
/// </summary>
public partial class TrajectoryStudyTests
{
    /// <summary>What <c>memscan trajectory</c> prints for this run, without the plot and table paths (temp folders here).</summary>
    static List<string> Printed(TrajectoryResult t)
    {
        var text = new StringWriter();
        TrajectoryReport.Print(t, text);
        var lines = text.ToString().Split('\n').Select(l => l.TrimEnd('\r'))
            .Where(l => l.Length > 0 && !l.StartsWith("plot: ", StringComparison.Ordinal) && !l.StartsWith("tables: ", StringComparison.Ordinal)).ToList();
        foreach (var line in lines) TestContext.Current.TestOutputHelper?.WriteLine(line);
        return lines;
    }

    [Fact, Trait("tier", "claims")]
    public void The_readme_prints_the_secret_sharer_trajectory_this_run_regenerates()
    {
        var lines = Printed(runs.Lm);
        Assert.Equal(8, lines.Count);
        PrintedFigures.AssertPrinted("README.md", lines);
    }

    [Fact, Trait("tier", "claims")]
    public void The_readme_prints_the_noisy_label_trajectory_this_run_regenerates()
    {
        var lines = Printed(runs.Noisy);
        Assert.Equal(StudyRuns.NoisyCnn.Epochs + 2, lines.Count);
        PrintedFigures.AssertPrinted("README.md", lines);
    }

    [Fact, Trait("tier", "claims")]
    public void The_readme_prints_the_dropout_run_this_run_regenerates()
    {
        var lines = Printed(runs.NoisyDropout);
        Assert.Contains(lines, l => l.StartsWith($"epoch {StudyRuns.NoisyCnn.Epochs,6}", StringComparison.Ordinal));
        PrintedFigures.AssertPrinted("README.md", lines);
    }
}
