using MemScan.Trainer.Canaries;
using Xunit;

namespace MemScan.Trainer.Tests.Canaries;

public class CanaryPlanTests
{
    [Fact]
    public void Each_canary_appears_in_the_training_text_exactly_as_often_as_requested()
    {
        string text = TinyModels.ProseSample(50_000);
        var canaries = CanaryPlan.Draw(CanaryPlan.Default, seed: 5);
        string laced = CanaryPlan.Insert(text, canaries, seed: 5);
        foreach (var c in canaries)
        {
            int count = 0;
            for (int at = laced.IndexOf(c.Text, StringComparison.Ordinal); at >= 0; at = laced.IndexOf(c.Text, at + 1, StringComparison.Ordinal))
                count++;
            Assert.Equal(c.Insertions, count);
        }
        Assert.Equal(text.Length + canaries.Sum(c => c.Text.Length * c.Insertions), laced.Length);
    }

    [Fact]
    public void Secrets_are_drawn_from_their_space_and_fixed_by_the_seed()
    {
        var first = CanaryPlan.Draw(CanaryPlan.Default, seed: 9);
        var again = CanaryPlan.Draw(CanaryPlan.Default, seed: 9);
        var other = CanaryPlan.Draw(CanaryPlan.Default, seed: 10);
        Assert.Equal(first.Select(c => c.Secret), again.Select(c => c.Secret));
        Assert.NotEqual(first.Select(c => c.Secret), other.Select(c => c.Secret));
        Assert.All(first, c => Assert.True(c.Space.Contains(c.Secret)));
    }
}
