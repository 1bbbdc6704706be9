using System.Globalization;
using MemScan.Scanner.Results;
using MemScan.Scanner.Vision;

namespace MemScan.Scanner.Trajectory;

/// <summary>What <c>memscan trajectory</c> wrote: the tables' rows and where they are.</summary>
public sealed record TrajectoryResult(
    string OutDir, string Kind, IReadOnlyList<TrajectoryRow> Rows, IReadOnlyList<ExampleOverTimeRow> Examples,
    IReadOnlyList<LearningEventRow> Learning, IReadOnlyList<string> Plots, int Scanned, int ReadBack);

/// <summary>
/// Scans every snapshot of a training run and writes OUT/trajectory.parquet (one row per snapshot ×
/// subject), for classifiers OUT/examples_over_time.parquet and OUT/learning_events.parquet, and
/// the plots. Each snapshot's rows are first written as a part (OUT/parts/step-N.*.parquet,
/// atomically, the trajectory part last); a rerun reads back the parts whose model hash still
/// matches its snapshot and scans only the rest, so a killed trajectory resumes where it stopped.
/// </summary>
public static class TrajectoryScan
{
    public const string TableFile = "trajectory.parquet", ExamplesFile = "examples_over_time.parquet", LearningFile = "learning_events.parquet";

    public static TrajectoryResult Run(TrajectoryPlan plan, Action<string>? log = null)
    {
        log ??= _ => { };
        var snapshots = SnapshotList.Load(plan.RunDir);
        string kind = snapshots[0].Manifest.Kind;
        if (kind is not ("language-model" or "classifier"))
            throw new MemScanException($"{plan.RunDir}: snapshots of kind '{kind}' are not understood (language-model or classifier)");
        string outDir = plan.Out, parts = Path.Combine(outDir, "parts");
        AtomicFile.CreatePrivateDirectory(outDir);
        Directory.CreateDirectory(parts);
        log($"{snapshots.Count} {kind} snapshots, steps {snapshots[0].Step}..{snapshots[^1].Step}");

        ExampleSet? examples = null;
        if (kind == "classifier")
        {
            string path = plan.ExamplesPath ?? Path.Combine(plan.RunDir, "examples.parquet");
            if (!File.Exists(path)) throw new MemScanException($"examples file {path} does not exist (a classifier trajectory needs the run's examples.parquet, or --examples)");
            var spec = snapshots[0].Manifest.Classifier!;
            examples = ExampleSet.Load(path, spec.Channels, spec.Height, spec.Width);
        }

        var rows = new List<TrajectoryRow>();
        var exampleRows = new List<ExampleOverTimeRow>();
        int scanned = 0, readBack = 0;
        foreach (var snapshot in snapshots)
        {
            string stem = Path.Combine(parts, "step-" + snapshot.Step.ToString(CultureInfo.InvariantCulture));
            string rowsPart = stem + ".trajectory.parquet", examplesPart = stem + ".examples.parquet";
            var done = File.Exists(rowsPart) ? ParquetTable<TrajectoryRow>.ReadAsync(rowsPart).GetAwaiter().GetResult() : null;
            if (done is { Count: > 0 } && done.All(r => r.ModelSha256 == snapshot.ModelSha256) && (examples is null || File.Exists(examplesPart)))
            {
                rows.AddRange(done);
                if (examples is not null) exampleRows.AddRange(ParquetTable<ExampleOverTimeRow>.ReadAsync(examplesPart).GetAwaiter().GetResult());
                readBack++;
                continue;
            }
            log($"step {snapshot.Step}: scanning");
            IReadOnlyList<TrajectoryRow> these;
            if (examples is null) these = LmTrajectory.Scan(snapshot, plan, log);
            else
            {
                var result = ClassifierTrajectory.Scan(snapshot, examples, plan);
                // The examples part first: a part of rows without its examples is never left behind.
                ParquetTable<ExampleOverTimeRow>.WriteAsync(examplesPart, result.Examples).GetAwaiter().GetResult();
                exampleRows.AddRange(result.Examples);
                these = result.Rows;
            }
            ParquetTable<TrajectoryRow>.WriteAsync(rowsPart, these).GetAwaiter().GetResult();
            rows.AddRange(these);
            scanned++;
        }

        ParquetTable<TrajectoryRow>.WriteAsync(Path.Combine(outDir, TableFile), rows).GetAwaiter().GetResult();
        var learning = new List<LearningEventRow>();
        if (examples is not null)
        {
            ParquetTable<ExampleOverTimeRow>.WriteAsync(Path.Combine(outDir, ExamplesFile), exampleRows).GetAwaiter().GetResult();
            learning = Learning(snapshots.Select(s => s.Step).ToList(), exampleRows);
            ParquetTable<LearningEventRow>.WriteAsync(Path.Combine(outDir, LearningFile), learning).GetAwaiter().GetResult();
        }
        var plots = TrajectoryPlots.Save(outDir, kind, rows);
        log($"wrote {Path.Combine(outDir, TableFile)} ({rows.Count} rows; {scanned} snapshots scanned, {readBack} read back)");
        return new TrajectoryResult(outDir, kind, rows, exampleRows, learning, plots, scanned, readBack);
    }

    static List<LearningEventRow> Learning(List<long> steps, List<ExampleOverTimeRow> rows) =>
        rows.GroupBy(r => r.ExampleId).OrderBy(g => g.Key).Select(g =>
        {
            var ordered = g.OrderBy(r => r.Step).ToList();
            var (learned, forgotten) = LearningEvents.Of(ordered.Select(r => r.Step).ToList(), ordered.Select(r => r.Correct).ToList());
            return new LearningEventRow
            {
                ExampleId = g.Key, Group = ordered[0].Group, Trained = ordered[0].Trained,
                LearnedAt = learned, ForgettingEvents = forgotten, Unforgettable = learned is not null && forgotten == 0,
            };
        }).ToList();
}
