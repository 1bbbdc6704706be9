using MemScan.Scanner.Plots;
using MemScan.Scanner.Results;
using MemScan.Scanner.Vision;

namespace MemScan.Scanner.Probes.Vision;

public sealed record PredictionStats(int Images, int Labelled, double? Accuracy, double MeanMaxProbability, double MedianMaxProbability,
    double MeanEntropy, double MaxEntropy, double ConfidentShare, IReadOnlyDictionary<int, int> PredictedCounts);

public sealed record PredictionStatsResult(IReadOnlyList<PredictionRow> Rows, PredictionStats Stats, Finding Finding);

/// <summary>
/// Confidence and entropy statistics of a classifier on the images given — what can be said about a
/// model whose training data is unknown. Membership cannot be judged without known members (a loss
/// threshold has nothing to be calibrated against), and the finding says so; the statistics show
/// whether the adapter is wired right (accuracy on labelled inputs) and how peaked the model is.
/// Writes predictions.parquet and predictions-confidence-hist.png.
/// </summary>
public static class PredictionStatsProbe
{
    public const string Name = "predictions";

    public static PredictionStatsResult Run(ImageSet images, ModelPredictions model, IReadOnlyList<string> classNames, RunFolder run, bool membersKnown)
    {
        int k = model.Output.Classes;
        var rows = new List<PredictionRow>(images.Count);
        for (int i = 0; i < images.Count; i++)
        {
            int? label = images.Labels[i] is int l && l < k ? l : null;
            var s = ClassifierScores.Of(model.Output.LogitsOf(i), label ?? 0);
            var logits = model.Output.LogitsOf(i);
            double maxProbability = Math.Exp(logits[s.Predicted] - LogSumExp(logits));
            rows.Add(new PredictionRow
            {
                ImageId = images.Ids[i],
                Label = label,
                Predicted = s.Predicted,
                PredictedName = s.Predicted < classNames.Count ? classNames[s.Predicted] : s.Predicted.ToString(),
                MaxProbability = maxProbability,
                Entropy = s.Entropy,
                Loss = label is null ? null : s.Loss,
                Correct = label is null ? null : s.Predicted == label,
            });
        }
        var stats = Summarize(rows, k);
        var labelled = rows.Where(r => r.Correct is not null).ToList();
        ParquetTable<PredictionRow>.WriteAsync(run.TablePath(PredictionRow.TableName), rows).GetAwaiter().GetResult();
        if (labelled.Count > 0 && labelled.Any(r => r.Correct == true) && labelled.Any(r => r.Correct == false))
            ScoreHistogramPlot.Save(Path.Combine(run.Path, "predictions-confidence-hist.png"), "max probability (correct = 'members')",
                labelled.Select(r => r.MaxProbability).ToArray(), labelled.Select(r => r.Correct == true).ToArray());

        var finding = new Finding
        {
            Probe = Name,
            Subject = "model",
            Severity = Severity.Info,
            Score = stats.MeanMaxProbability,
            ScoreName = "mean_max_probability",
            MaxScore = 1,
            Evidence = (membersKnown ? "" : "membership cannot be judged: no known training members (no manifest with examples); ") +
                       $"{stats.Images} images: mean max probability {stats.MeanMaxProbability:F3} (median {stats.MedianMaxProbability:F3}, " +
                       $"{stats.ConfidentShare:P0} at >= 0.99), mean entropy {stats.MeanEntropy:F3} of at most {stats.MaxEntropy:F3} nats" +
                       (stats.Accuracy is { } a ? $", accuracy {a:P1} on {stats.Labelled} labelled images" : ""),
            Queries = images.Count,
            CreatedUtc = DateTime.UtcNow,
        };
        return new PredictionStatsResult(rows, stats, finding);
    }

    /// <summary>The statistics of predictions.parquet's rows from a model with <paramref name="classes"/> classes (also for a resumed run).</summary>
    public static PredictionStats Summarize(IReadOnlyList<PredictionRow> rows, int classes)
    {
        if (rows.Count == 0) throw new MemScanException("prediction statistics need at least one image");
        var labelled = rows.Where(r => r.Correct is not null).ToList();
        var sorted = rows.Select(r => r.MaxProbability).Order().ToArray();
        return new PredictionStats(rows.Count, labelled.Count,
            labelled.Count == 0 ? null : labelled.Average(r => r.Correct == true ? 1.0 : 0.0),
            rows.Average(r => r.MaxProbability), sorted[sorted.Length / 2], rows.Average(r => r.Entropy), Math.Log(classes),
            rows.Average(r => r.MaxProbability >= 0.99 ? 1.0 : 0.0),
            rows.GroupBy(r => r.Predicted).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count()));
    }

    static double LogSumExp(ReadOnlySpan<float> v)
    {
        double max = double.NegativeInfinity;
        foreach (var x in v) max = Math.Max(max, x);
        double sum = 0;
        foreach (var x in v) sum += Math.Exp(x - max);
        return max + Math.Log(sum);
    }
}
