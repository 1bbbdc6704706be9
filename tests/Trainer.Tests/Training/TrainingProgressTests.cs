using MemScan.Trainer.Training;
using Xunit;

namespace MemScan.Trainer.Tests.Training;

public class TrainingProgressTests
{
    [Fact]
    public void On_a_terminal_one_bar_is_redrawn_in_place_and_ends_with_a_newline()
    {
        var w = new StringWriter();
        var p = new TrainingProgress(w, "target", "step", 1000, 0, 3072, "chars", "nats/char", interactive: true);
        for (int step = 1; step <= 1000; step++) p.Report(step, 1.5);
        string s = w.ToString();
        // The first step draws, the rest are throttled (the loop takes far less than 125 ms), the last always draws.
        Assert.Equal(2, s.Count(c => c == '\r'));
        Assert.EndsWith(Environment.NewLine, s);
        Assert.Single(s.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        string last = s.Split('\r')[^1];
        Assert.Contains("[" + new string('█', 24) + "] 100%", last);
        Assert.Contains("step 1000/1000  loss 1.500 nats/char", last);
        Assert.Contains("chars/s  eta 0s", last);
        Assert.StartsWith("  target [", last);
    }

    [Fact]
    public void Into_a_log_it_prints_about_twenty_plain_lines_with_rate_and_eta()
    {
        var w = new StringWriter();
        var p = new TrainingProgress(w, "", "epoch", 30, 0, 2000, "images");
        for (int epoch = 1; epoch <= 30; epoch++) p.Report(epoch, 0.25);
        var lines = w.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(30, lines.Length); // 30 / 20 rounds down to every epoch
        Assert.DoesNotContain('\r', w.ToString());
        Assert.Matches(@"^  epoch 30/30  loss 0\.250  +\d+ images/s  eta 0s$", lines[^1]);

        var many = new StringWriter();
        var q = new TrainingProgress(many, "", "step", 1000, 0, 1, "tokens");
        for (int step = 1; step <= 1000; step++) q.Report(step, 1);
        Assert.Equal(20, many.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void A_resumed_run_counts_only_its_own_steps_in_the_rate()
    {
        var w = new StringWriter();
        var p = new TrainingProgress(w, "", "step", 100, 100, 1000, "tokens");
        p.Report(100, 2);
        // Nothing trained in this process: no rate and no division by zero.
        Assert.Contains("step 100/100  loss 2.000         0 tokens/s  eta ?", w.ToString());
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(42.4, "42s")]
    [InlineData(187, "3m07s")]
    [InlineData(7500, "2h05m")]
    [InlineData(double.NaN, "?")]
    public void Durations_read_like_a_clock(double seconds, string expected) =>
        Assert.Equal(expected, TrainingProgress.Duration(seconds));
}
