using MemScan.Scanner.Trajectory;
using Xunit;

namespace MemScan.Trainer.Tests.Studies;

/// <summary>The qualitative results of the Secret Sharer and "A Closer Look at Memorization", held on small real runs.</summary>
public partial class TrajectoryStudyTests(StudyRuns runs) : IClassFixture<StudyRuns>
{
    static IEnumerable<TrajectoryRow> Of(TrajectoryResult t, string subject) => t.Rows.Where(r => r.Subject == subject).OrderBy(r => r.Step);

    [Fact]
    public void A_canary_inserted_64_times_reaches_90_percent_of_its_final_exposure_before_validation_loss_bottoms_out()
    {
        var t = runs.Lm;
        var model = Of(t, TrajectoryRow.Model).ToList();
        long best = model.MinBy(r => r.ValidationLoss!.Value)!.Step;
        // The run does overfit: validation loss rises after its minimum, so "before" means something.
        Assert.True(best < model[^1].Step, $"validation loss is lowest at the last snapshot ({best})");
        var often = Of(t, "often").ToList();
        double final = often[^1].ExposureBits!.Value;
        long reached = often.First(r => r.ExposureBits >= 0.9 * final).Step;
        Assert.True(reached <= best, $"64x canary reached 90% of {final:F1} bits at step {reached}, validation loss is lowest at {best}");
        Assert.True(final > 0.9 * often[^1].Log2Space!.Value, $"64x canary ends at {final:F1} of {often[^1].Log2Space:F1} bits");
    }

    [Fact]
    public void The_canary_never_inserted_stays_near_chance_throughout()
    {
        var never = Of(runs.Lm, "never").ToList();
        Assert.Equal(8, never.Count);
        // Chance: a random candidate's exposure exceeds x bits with probability 2^-x; half of log2|R| is rank ~1%.
        Assert.All(never, r => Assert.True(r.ExposureBits < 0.5 * r.Log2Space, $"step {r.Step}: {r.ExposureBits:F1} of {r.Log2Space:F1} bits"));
    }

    [Fact]
    public void Random_label_examples_are_learned_later_than_real_ones()
    {
        var learning = runs.Noisy.Learning.Where(l => l.Trained).ToList();
        long? real = TrajectoryReport.MedianLearningTime(learning.Where(l => l.Group == ExampleGroups.Real).Select(l => l.LearnedAt).ToList());
        long? random = TrajectoryReport.MedianLearningTime(learning.Where(l => l.Group == ExampleGroups.RandomLabel).Select(l => l.LearnedAt).ToList());
        Assert.NotNull(real);
        Assert.True(random is null || random > real, $"median learning epoch: real {real}, random-label {random?.ToString() ?? "never"}");
        // Every snapshot was scanned once, every example at each.
        Assert.Equal(StudyRuns.NoisyCnn.Epochs, runs.Noisy.Rows.Select(r => r.Step).Distinct().Count());
        Assert.Equal(StudyRuns.NoisyCnn.Epochs * learning.Count, runs.Noisy.Examples.Count(e => e.Trained));
    }

    [Fact]
    public void Dropout_lowers_training_accuracy_on_random_labels_more_than_on_real_labels()
    {
        double Final(TrajectoryResult t, string group) => Of(t, group).Last().Accuracy!.Value;
        double realDrop = Final(runs.Noisy, ExampleGroups.Real) - Final(runs.NoisyDropout, ExampleGroups.Real);
        double randomDrop = Final(runs.Noisy, ExampleGroups.RandomLabel) - Final(runs.NoisyDropout, ExampleGroups.RandomLabel);
        Assert.True(randomDrop > realDrop + 0.05,
            $"dropout 0.5 lowers real-label training accuracy by {realDrop:P1} and random-label accuracy by {randomDrop:P1}");
    }

    [Fact]
    public void A_second_trajectory_reads_every_snapshot_back_and_rescans_one_whose_part_is_gone()
    {
        var t = runs.Noisy;
        string runDir = Path.GetDirectoryName(t.OutDir)!;
        File.Delete(Path.Combine(t.OutDir, "parts", "step-3.trajectory.parquet"));
        var again = TrajectoryScan.Run(new TrajectoryPlan { RunDir = runDir, Mia = false, CsrExamples = 0, Threads = 1 });
        Assert.Equal((1, StudyRuns.NoisyCnn.Epochs - 1), (again.Scanned, again.ReadBack));
        Assert.Equal(t.Rows.Select(r => (r.Step, r.Subject, r.Accuracy)).Order(), again.Rows.Select(r => (r.Step, r.Subject, r.Accuracy)).Order());
        Assert.Equal(t.Learning, again.Learning);
        Assert.True(File.Exists(Path.Combine(t.OutDir, TrajectoryPlots.AccuracyFile)));
    }
}
