using MemScan.Trainer.Tests.Claims;
using Xunit;

namespace MemScan.Trainer.Tests.Studies;

/// <summary>
/// The README's <c>memscan compare</c> outputs held at their printed values on the networks the
/// similarity study tests already train (one torch and one ONNX Runtime thread): parts of those
/// classes, so that each fixture serves both and nothing is trained twice.
/// </summary>
public partial class LmSimilarityStudyTests
{
    [Fact, Trait("tier", "claims")]
    public void The_readme_prints_the_gpt_comparison_this_run_regenerates()
    {
        var lines = ComparePrinted.Lines(runs.Three);
        Assert.Equal(3, lines.Count);
        PrintedFigures.AssertPrinted("README.md", lines);
        // docs/RESULTS.md's summary of the same run.
        PrintedFigures.AssertPrinted("docs/RESULTS.md", [System.FormattableString.Invariant(
            $"CKA {Cka("gpt-1", "gpt-2", "embedding"):F3} / {Cka("gpt-1", "gpt-2", "block0"):F3} / {Cka("gpt-1", "gpt-2", "block1"):F3} / {Cka("gpt-1", "gpt-2", "logits"):F3}")]);
        double random = runs.Three.Rows.Where(r => r.ModelB == "gpt-random" && r.LayerA == r.LayerB).Max(r => r.Cka);
        PrintedFigures.AssertPrinted("docs/RESULTS.md", [System.FormattableString.Invariant($"at most {random:F3} with a GPT left")]);
        // The README's self-comparison line (a GPT with itself).
        PrintedFigures.AssertPrinted("README.md", ComparePrinted.Lines(runs.Self));
    }
}

public partial class SimilarityStudyTests
{
    [Fact, Trait("tier", "claims")]
    public void The_readme_prints_the_cnn_comparison_this_run_regenerates()
    {
        var lines = ComparePrinted.Lines(runs.Similarity);
        Assert.Equal(6, lines.Count);
        PrintedFigures.AssertPrinted("README.md", lines);
    }
}
