using Xunit;

namespace MemScan.Trainer.Tests.Studies;

/// <summary>"One way to learn, N ways to memorize" (Memorization Dissection), held on four small Fashion-MNIST CNNs.</summary>
public partial class SimilarityStudyTests(StudyRuns runs) : IClassFixture<StudyRuns>
{
    double Cka(string a, string b, string layer) =>
        runs.Similarity.Rows.Single(r => r.ModelA == a && r.ModelB == b && r.LayerA == layer && r.LayerB == layer).Cka;

    [Fact]
    public void Last_layer_cka_between_true_label_networks_exceeds_that_between_random_label_networks()
    {
        double truth = Cka("true-1", "true-2", "logits"), random = Cka("random-1", "random-2", "logits");
        Assert.True(truth > random + 0.2, $"logits CKA: true-label pair {truth:F3}, random-label pair {random:F3}");
        Assert.True(Cka("true-1", "true-2", "embedding") > Cka("random-1", "random-2", "embedding"));
    }

    [Fact]
    public void Every_layer_pair_of_every_model_pair_has_a_row_and_each_pair_a_heatmap()
    {
        var result = runs.Similarity;
        Assert.Equal(6 * 4 * 4, result.Rows.Count);
        Assert.All(result.Rows, r => Assert.InRange(r.Cka, -1, 1.000001));
        Assert.All(result.Rows, r => Assert.InRange(r.Svcca, 0, 1.000001));
        Assert.Equal(6, result.Plots.Count);
        Assert.All(result.Plots, p => Assert.True(new FileInfo(p).Length > 1000));
        Assert.True(File.Exists(result.TablePath));
    }
}
