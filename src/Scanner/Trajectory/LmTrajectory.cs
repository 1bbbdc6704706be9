using MemScan.Scanner.Metrics;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Probes.Membership;
using MemScan.Scanner.Results;
using MemScan.Scanner.Scanning;

namespace MemScan.Scanner.Trajectory;

/// <summary>
/// One language-model snapshot through the scanner's own scan (<see cref="LmScan"/>, isolated host
/// unless the plan says otherwise): exposure of every canary and, when the snapshot has member and
/// non-member samples, membership inference. Each snapshot's scan is a run folder
/// <c>OUT/runs/step-N</c>, so a killed trajectory resumes inside a snapshot's scan too.
/// </summary>
public static class LmTrajectory
{
    public static IReadOnlyList<TrajectoryRow> Scan(SnapshotEntry snapshot, TrajectoryPlan plan, Action<string> log)
    {
        string runsRoot = Path.Combine(plan.Out, "runs"), runId = $"step-{snapshot.Step}";
        string runDir = Path.Combine(runsRoot, runId), info = Path.Combine(runDir, RunFolder.InfoFileName);
        bool mia = plan.Mia && snapshot.Manifest.Samples?.NonMembers is not null;
        IReadOnlyList<CanaryExposure> exposure;
        IReadOnlyList<MiaSummary> attacks;
        if (File.Exists(info) && RunFolder.Open(runDir).ReadInfo() is { Status: RunStatus.Complete })
        {
            // Scanned before the trajectory's own part was written (killed in between): read it back.
            var run = RunFolder.Open(runDir);
            exposure = ParquetTable<CanaryExposure>.ReadAsync(run.TablePath(CanaryExposure.TableName)).GetAwaiter().GetResult();
            string miaPath = run.TablePath(MiaSummary.TableName);
            attacks = File.Exists(miaPath) ? ParquetTable<MiaSummary>.ReadAsync(miaPath).GetAwaiter().GetResult() : [];
        }
        else
        {
            if (Directory.Exists(runDir) && !File.Exists(info)) Directory.Delete(runDir, recursive: true); // killed before run.json
            var result = LmScan.Run(new LmScanPlan
            {
                ModelPath = snapshot.ModelPath,
                RunsRoot = runsRoot,
                RunId = runId,
                Resume = File.Exists(info),
                Probes = mia ? [ExposureProbe.Name, MiaProbe.Name] : [ExposureProbe.Name],
                Exposure = plan.Exposure,
                Device = plan.Device,
                Threads = plan.Threads,
                Isolate = plan.Isolate,
                CommandLine = $"memscan trajectory {plan.RunDir}",
            }, line => log($"step {snapshot.Step}: {line}"));
            (exposure, attacks) = (result.Exposure, result.Mia);
        }

        var record = snapshot.Record;
        var rows = new List<TrajectoryRow>
        {
            Row(snapshot, TrajectoryRow.Model, TrajectoryRow.Model) with { TrainLoss = record.TrainLoss, ValidationLoss = record.ValidationLoss },
        };
        rows.AddRange(exposure.Select(e => Row(snapshot, e.CanaryId, TrajectoryRow.Canary) with
        {
            Insertions = e.Insertions, ExposureBits = e.ExposureBits, Log2Space = e.Log2Space, Rank = e.Rank,
        }));
        rows.AddRange(attacks.Select(a => Row(snapshot, a.Attack, TrajectoryRow.Mia) with
        {
            Auc = a.Auc, TprAt1PctFpr = a.TprAt1PctFpr, TprAt0Point1PctFpr = a.TprAt0Point1PctFpr,
        }));
        return rows;
    }

    internal static TrajectoryRow Row(SnapshotEntry snapshot, string subject, string kind) => new()
    {
        Step = snapshot.Step, Unit = snapshot.Record.Unit, Subject = subject, SubjectKind = kind, ModelSha256 = snapshot.ModelSha256,
    };
}
