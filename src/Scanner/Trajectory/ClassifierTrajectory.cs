using MemScan.Scanner.Metrics;
using MemScan.Scanner.Models;
using MemScan.Scanner.Onnx;
using MemScan.Scanner.Probes.Vision;
using MemScan.Scanner.Vision;

namespace MemScan.Scanner.Trajectory;

/// <summary>
/// One classifier snapshot on every example of the run (examples.parquet): per-example loss,
/// correctness and margin; accuracy and mean loss per <see cref="ExampleGroups">group</see>; train
/// and held-out accuracy; the loss attack's membership AUC on the pool (members vs held-out); and
/// the critical sample ratio on a fixed subset of real training members. The classifier runs as
/// <c>memscan vision</c> runs it (<see cref="OnnxClassifier"/>).
/// </summary>
public static class ClassifierTrajectory
{
    public sealed record Result(IReadOnlyList<TrajectoryRow> Rows, IReadOnlyList<ExampleOverTimeRow> Examples);

    public static Result Scan(SnapshotEntry snapshot, ExampleSet examples, TrajectoryPlan plan)
    {
        var spec = snapshot.Manifest.Classifier ?? throw new MemScanException($"{snapshot.ModelPath}: its manifest has no classifier block");
        var profile = ClassifierProfile.FromManifest(spec, $"step-{snapshot.Step}") with { Embedding = null };
        using var model = OnnxClassifier.Open(snapshot.ModelPath, profile, new OnnxSessionOptions { Device = plan.Device, IntraOpThreads = plan.Threads });
        model.MaxBatch = plan.Batch;
        int n = examples.Rows.Count;
        var output = model.Run(examples.Images.Pixels, n);

        var perExample = new ExampleOverTimeRow[n];
        var miaLoss = new double[n]; // loss of the row's own label for every example, as the vision membership probe scores the pool
        for (int i = 0; i < n; i++)
        {
            var row = examples.Rows[i];
            var logits = output.LogitsOf(i);
            // Trained examples are scored on the label they were trained with; held-out pool images on
            // their true label, which is what generalization means even when the run randomized labels.
            bool trained = ExampleGroups.Trained(row);
            int label = trained ? row.Label : row.TrueLabel ?? row.Label;
            var scores = ClassifierScores.Of(logits, label);
            miaLoss[i] = label == row.Label ? scores.Loss : ClassifierScores.Of(logits, row.Label).Loss;
            perExample[i] = new ExampleOverTimeRow
            {
                Step = snapshot.Step, ExampleId = row.ExampleId, Group = ExampleGroups.Of(row), Trained = trained,
                Label = label, Predicted = scores.Predicted, Loss = scores.Loss, Correct = scores.Predicted == label, Margin = Margin(logits, label),
            };
        }

        var rows = new List<TrajectoryRow>();
        var record = snapshot.Record;
        double? Accuracy(IEnumerable<ExampleOverTimeRow> set) => set.Any() ? set.Average(e => e.Correct ? 1.0 : 0.0) : null;
        rows.Add(LmTrajectory.Row(snapshot, TrajectoryRow.Model, TrajectoryRow.Model) with
        {
            TrainLoss = record.TrainLoss,
            ValidationLoss = record.ValidationLoss,
            TrainAccuracy = Accuracy(perExample.Where(e => e.Trained)),
            TestAccuracy = Accuracy(perExample.Where(e => e.Group == ExampleGroups.HeldOut)),
            CriticalSampleRatio = CriticalRatio(model, examples, perExample, plan),
        });
        foreach (var group in perExample.GroupBy(e => e.Group).OrderBy(g => g.Key, StringComparer.Ordinal))
            rows.Add(LmTrajectory.Row(snapshot, group.Key, TrajectoryRow.Group) with
            {
                Examples = group.Count(), Accuracy = Accuracy(group), MeanLoss = group.Average(e => e.Loss),
            });
        var pool = Enumerable.Range(0, n).Where(i => perExample[i].Group is ExampleGroups.Real or ExampleGroups.RandomLabel or ExampleGroups.HeldOut).ToList();
        if (pool.Any(i => perExample[i].Trained) && pool.Any(i => !perExample[i].Trained))
        {
            var loss = MiaSummary.Compute("loss", pool.Select(i => -miaLoss[i]).ToList(), pool.Select(i => perExample[i].Trained).ToList());
            rows.Add(LmTrajectory.Row(snapshot, loss.Attack, TrajectoryRow.Mia) with
            {
                Auc = loss.Auc, TprAt1PctFpr = loss.TprAt1PctFpr, TprAt0Point1PctFpr = loss.TprAt0Point1PctFpr,
            });
        }
        return new Result(rows, perExample);
    }

    /// <summary>Label logit minus the largest other logit.</summary>
    public static double Margin(ReadOnlySpan<float> logits, int label)
    {
        double other = double.NegativeInfinity;
        for (int j = 0; j < logits.Length; j++)
            if (j != label && logits[j] > other) other = logits[j];
        return logits[label] - other;
    }

    /// <summary>Critical samples among the same real training members at every snapshot (evenly spaced over them), or null when off.</summary>
    static double? CriticalRatio(OnnxClassifier model, ExampleSet examples, ExampleOverTimeRow[] perExample, TrajectoryPlan plan)
    {
        if (plan.CsrExamples <= 0) return null;
        var real = Enumerable.Range(0, perExample.Length).Where(i => perExample[i].Group == ExampleGroups.Real).ToList();
        if (real.Count == 0) return null;
        int take = Math.Min(plan.CsrExamples, real.Count);
        var which = Enumerable.Range(0, take).Select(k => real[(int)((long)k * real.Count / take)]).ToList();
        var outcomes = CriticalSampleRatio.Search(model, examples.Images.Pixels, which, plan.Csr);
        return outcomes.Average(o => o.Critical ? 1.0 : 0.0);
    }
}
