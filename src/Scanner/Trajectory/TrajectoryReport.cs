using System.Globalization;

namespace MemScan.Scanner.Trajectory;

/// <summary>
/// The trajectory in a few lines: per snapshot the losses and either each insertion count's mean
/// exposure (LMs) or each group's accuracy (classifiers); then, for classifiers, each group's
/// median learning time and forgetting events.
/// </summary>
public static class TrajectoryReport
{
    public static void Print(TrajectoryResult result, TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        foreach (var step in result.Rows.GroupBy(r => r.Step).OrderBy(g => g.Key))
        {
            var model = step.First(r => r.SubjectKind == TrajectoryRow.Model);
            var parts = new List<string>
            {
                string.Format(inv, "{0} {1,6}", model.Unit, step.Key),
                string.Format(inv, "train {0:F3}", model.TrainLoss),
                model.ValidationLoss is { } v ? string.Format(inv, "validation {0:F3}", v) : "validation -",
            };
            if (result.Kind == "classifier")
            {
                parts.AddRange(step.Where(r => r.SubjectKind == TrajectoryRow.Group && r.Subject != ExampleGroups.HeldOutCanary)
                    .OrderBy(r => r.Subject, StringComparer.Ordinal).Select(r => string.Format(inv, "{0} {1:P0}", r.Subject, r.Accuracy)));
                if (model.CriticalSampleRatio is { } csr) parts.Add(string.Format(inv, "csr {0:F2}", csr));
            }
            else
            {
                parts.AddRange(step.Where(r => r.SubjectKind == TrajectoryRow.Canary).GroupBy(r => r.Insertions ?? 0).OrderByDescending(g => g.Key)
                    .Select(g => string.Format(inv, "{0}x {1:F1} bits", g.Key, g.Average(r => r.ExposureBits ?? 0))));
                if (step.FirstOrDefault(r => r.SubjectKind == TrajectoryRow.Mia && r.Subject == "loss") is { } mia)
                    parts.Add(string.Format(inv, "mia loss AUC {0:F3}", mia.Auc));
            }
            output.WriteLine(string.Join("  ", parts));
        }
        foreach (var group in result.Learning.Where(l => l.Trained).GroupBy(l => l.Group).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var median = MedianLearningTime(group.Select(l => l.LearnedAt).ToList());
            output.WriteLine(string.Format(inv, "{0}: {1} trained examples, median learning {2} {3}, {4:P0} never learned, {5} forgetting events",
                group.Key, group.Count(), result.Rows[0].Unit, median is { } m ? m.ToString(inv) : "never",
                group.Average(l => l.LearnedAt is null ? 1.0 : 0.0), group.Sum(l => l.ForgettingEvents)));
        }
        foreach (var plot in result.Plots) output.WriteLine($"plot: {plot}");
        output.WriteLine($"tables: {result.OutDir}");
    }

    /// <summary>Median learning step, with never-learned examples counted as later than any step; null when more than half were never learned.</summary>
    public static long? MedianLearningTime(IReadOnlyList<long?> learnedAt)
    {
        if (learnedAt.Count == 0) return null;
        var sorted = learnedAt.OrderBy(t => t ?? long.MaxValue).ToList();
        return sorted[(sorted.Count - 1) / 2];
    }
}
