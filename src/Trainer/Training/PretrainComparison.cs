using MathNet.Numerics.Distributions;
using MemScan.Scanner.Metrics;
using MemScan.Scanner.Results;
using MemScan.Trainer.Models;
using static TorchSharp.torch;

namespace MemScan.Trainer.Training;

/// <summary>
/// Random-label pre-training against training from scratch with the same fine-tuning budget
/// (<c>epochs</c> on the true labels), on the target's training images, over
/// <c>pretrain_compare</c> seeds: each seed trains both arms from the same initial weights and batch
/// order. Reports each arm's mean test accuracy and the paired difference (pretrained − scratch),
/// each with a 95% Student-t interval over the seeds, and writes OUT/pretrain_comparison.parquet.
/// </summary>
public static class PretrainComparison
{
    public const string FileName = "pretrain_comparison.parquet";

    public sealed record Summary(ConfidenceInterval Pretrained, ConfidenceInterval Scratch, ConfidenceInterval Difference, int Seeds, string Path);

    public static Summary Run(CnnShape shape, Tensor images, long[] labels, Tensor test, long[] testLabels, CnnTrainConfig config, string outDir, TextWriter log)
    {
        if (testLabels.Length == 0) throw new Scanner.MemScanException("pretrain_compare measures test accuracy: set test_images > 0");
        var rows = new List<PretrainComparisonRow>();
        var pretrainedConfig = config with { PretrainCompare = 0 };
        var scratchConfig = pretrainedConfig with { Pretrain = CnnTrainConfig.NoPretraining };
        for (int k = 0; k < config.PretrainCompare; k++)
        {
            int seed = config.Seed + 104_729 * (k + 1); // apart from the family's seeds
            var pretrained = CnnTrainer.Train(shape, images, labels, test, testLabels, pretrainedConfig, seed, null, $"compare-{k}");
            var scratch = CnnTrainer.Train(shape, images, labels, test, testLabels, scratchConfig, seed, null, $"compare-{k}");
            rows.Add(Row(seed, PretrainComparisonRow.Pretrained, config, pretrained));
            rows.Add(Row(seed, PretrainComparisonRow.Scratch, config, scratch));
            log.WriteLine($"  compare seed {seed}: test accuracy pretrained {pretrained.TestAccuracy:P1}, scratch {scratch.TestAccuracy:P1}");
            pretrained.Model.Dispose();
            scratch.Model.Dispose();
        }
        string path = Path.Combine(outDir, FileName);
        ParquetTable<PretrainComparisonRow>.WriteAsync(path, rows).GetAwaiter().GetResult();
        double[] Of(string arm) => rows.Where(r => r.Arm == arm).Select(r => r.TestAccuracy).ToArray();
        var (p, s) = (Of(PretrainComparisonRow.Pretrained), Of(PretrainComparisonRow.Scratch));
        var summary = new Summary(MeanInterval(p), MeanInterval(s), MeanInterval(p.Zip(s, (a, b) => a - b).ToArray()), p.Length, path);
        log.WriteLine($"pre-training ({config.PretrainEpochs} epochs of random labels, head {config.PretrainHead}) vs scratch, {config.Epochs} fine-tuning epochs, {p.Length} seeds: " +
                      $"test accuracy {Describe(summary.Pretrained)} vs {Describe(summary.Scratch)}, difference {Describe(summary.Difference, signed: true)} (95% t-intervals)");
        return summary;
    }

    static PretrainComparisonRow Row(int seed, string arm, CnnTrainConfig config, CnnTrainingResult r) => new()
    {
        Seed = seed, Arm = arm, PretrainEpochs = arm == PretrainComparisonRow.Pretrained ? config.PretrainEpochs : 0, FineTuneEpochs = config.Epochs,
        Head = arm == PretrainComparisonRow.Pretrained ? config.PretrainHead : null, TrainAccuracy = r.TrainAccuracy, TestAccuracy = r.TestAccuracy,
    };

    /// <summary>Mean with a two-sided 95% Student-t interval (n − 1 degrees of freedom).</summary>
    public static ConfidenceInterval MeanInterval(IReadOnlyList<double> values)
    {
        int n = values.Count;
        double mean = values.Average();
        if (n < 2) return new ConfidenceInterval(mean, double.NaN, double.NaN, 0.95);
        double sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (n - 1));
        double half = StudentT.InvCDF(0, 1, n - 1, 0.975) * sd / Math.Sqrt(n);
        return new ConfidenceInterval(mean, mean - half, mean + half, 0.95);
    }

    static string Describe(ConfidenceInterval c, bool signed = false) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, signed ? "{0:+0.0;-0.0} [{1:+0.0;-0.0}, {2:+0.0;-0.0}] points" : "{0:0.0}% [{1:0.0}, {2:0.0}]",
            100 * c.Estimate, 100 * c.Low, 100 * c.High);
}
