using MemScan.Scanner.Trajectory;
using Xunit;

namespace MemScan.Scanner.Tests.Trajectory;

public class LearningEventsTests
{
    static readonly long[] Steps = [1, 2, 3, 4, 5];

    [Fact]
    public void Learning_time_is_the_first_step_from_which_an_example_stays_correct()
    {
        Assert.Equal((3L, 1), LearningEvents.Of(Steps, [true, false, true, true, true]));
        Assert.Equal((1L, 0), LearningEvents.Of(Steps, [true, true, true, true, true]));
    }

    [Fact]
    public void An_example_wrong_at_the_last_snapshot_is_not_learned_and_each_drop_is_a_forgetting_event()
    {
        Assert.Equal(((long?)null, 2), LearningEvents.Of(Steps, [true, false, true, true, false]));
        Assert.Equal(((long?)null, 0), LearningEvents.Of(Steps, [false, false, false, false, false]));
    }

    [Fact]
    public void Median_learning_time_counts_never_learned_examples_as_latest()
    {
        Assert.Equal(3L, TrajectoryReport.MedianLearningTime([1, 3, 5]));
        Assert.Null(TrajectoryReport.MedianLearningTime([1, null, null]));
        Assert.Equal(2L, TrajectoryReport.MedianLearningTime([2, 2, null, 9]));
    }

    [Fact]
    public void Margin_is_the_label_logit_minus_the_best_other_logit()
    {
        Assert.Equal(1.5, ClassifierTrajectory.Margin([0f, 2f, 0.5f], 1), 6);
        Assert.Equal(-2.0, ClassifierTrajectory.Margin([0f, 2f, 0.5f], 0), 6);
    }
}
