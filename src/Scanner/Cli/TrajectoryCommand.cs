using System.CommandLine;
using MemScan.Scanner.Onnx;
using MemScan.Scanner.Trajectory;

namespace MemScan.Scanner.Cli;

/// <summary><c>memscan trajectory DIR</c>: scan every snapshot of a training run and write memorization over training.</summary>
public static class TrajectoryCommand
{
    public static Command Create()
    {
        var dir = new Argument<DirectoryInfo>("dir") { Description = "the training run's folder (memscan-train --out), holding snapshots/" };
        var output = new Option<DirectoryInfo?>("--out", "-o") { Description = "folder for the tables, plots and per-snapshot scans (default: DIR/trajectory)" };
        var examples = new Option<FileInfo?>("--examples") { Description = "classifiers: examples.parquet (default: DIR/examples.parquet)" };
        var noMia = new Option<bool>("--no-mia") { Description = "language models: skip membership inference on the snapshots' samples" };
        var exactLimit = new Option<double>("--exact-limit") { Description = "largest randomness space ranked exactly by enumeration", DefaultValueFactory = _ => 1e7 };
        var csrExamples = new Option<int>("--csr-examples") { Description = "classifiers: real training members searched for critical samples per snapshot (0 = off)", DefaultValueFactory = _ => 32 };
        var device = new Option<string>("--device") { Description = "cpu or cuda (falls back to cpu with a note)", DefaultValueFactory = _ => "cpu" };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads (0 = all cores)", DefaultValueFactory = _ => 0 };
        var inProcess = new Option<bool>("--in-process") { Description = "run the models inside this process (classifiers: instead of a supervised child; language models: instead of the isolated host)" };
        device.AcceptOnlyFromAmong("cpu", "cuda");

        var command = new Command("trajectory", "Scan every snapshot of a training run: exposure and membership over steps (LMs); per-example loss, learning time and forgetting (classifiers)")
        {
            dir, output, examples, noMia, exactLimit, csrExamples, device, threads, inProcess,
        };
        command.SetAction(parsed =>
        {
            int csr = parsed.GetValue(csrExamples);
            if (csr < 0) throw new MemScanException($"--csr-examples must be >= 0, got {csr}");
            var plan = new TrajectoryPlan
            {
                RunDir = parsed.GetValue(dir)!.FullName,
                OutDir = parsed.GetValue(output)?.FullName,
                ExamplesPath = parsed.GetValue(examples)?.FullName,
                Mia = !parsed.GetValue(noMia),
                Exposure = new() { ExactLimit = parsed.GetValue(exactLimit) },
                CsrExamples = csr,
                Device = parsed.GetValue(device) == "cuda" ? Device.Cuda : Device.Cpu,
                Threads = parsed.GetValue(threads),
                Isolate = !parsed.GetValue(inProcess),
            };
            if (!plan.Isolate)
                Isolation.ScanSupervisor.EndWithSupervisor();
            else if (SnapshotList.Load(plan.RunDir)[0].Manifest.Kind == "classifier")
                // Classifiers have no model host: the whole trajectory runs in a supervised child, as memscan vision does.
                return Isolation.ScanSupervisor.RunSelf($"running the snapshots of {plan.RunDir}", "the snapshots scanned so far are kept: run the same command again to continue");
            var result = TrajectoryScan.Run(plan, line => Console.Error.WriteLine($"memscan: {line}"));
            TrajectoryReport.Print(result, Console.Out);
            return 0;
        });
        return command;
    }
}
