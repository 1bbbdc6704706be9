using System.CommandLine;
using System.Diagnostics;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Models;
using MemScan.Scanner.Onnx;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Results;
using MemScan.Scanner.Tokenizers;
using Spectre.Console;

namespace MemScan.Scanner.Cli;

/// <summary><c>memscan scan MODEL.onnx</c>: runs the language-model probes and writes a run folder.</summary>
public static class ScanCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "the ONNX model to scan" };
        var manifest = new Option<FileInfo?>("--manifest") { Description = "manifest (default: MODEL.memscan.json beside the model)" };
        var runs = new Option<DirectoryInfo>("--runs") { Description = "folder that receives the run folder", DefaultValueFactory = _ => new DirectoryInfo("runs") };
        var runId = new Option<string?>("--run-id") { Description = "name of the run folder (default: time + model name)" };
        var exactLimit = new Option<double>("--exact-limit") { Description = "largest space ranked exactly by enumeration", DefaultValueFactory = _ => 1e7 };
        var samples = new Option<int>("--samples") { Description = "random candidates for skew-normal extrapolation (0 = off)", DefaultValueFactory = _ => 2000 };
        var batch = new Option<int>("--batch") { Description = "sequences per model run", DefaultValueFactory = _ => 512 };
        var device = new Option<string>("--device") { Description = "cpu or cuda (falls back to cpu with a note)", DefaultValueFactory = _ => "cpu" };
        device.AcceptOnlyFromAmong("cpu", "cuda");
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads (0 = all cores)", DefaultValueFactory = _ => 0 };
        var failOn = new Option<string?>("--fail-on") { Description = "exit 1 when a finding reaches this severity (info, low, medium, high, critical)" };
        var redact = new Option<bool>("--redact") { Description = "mask secrets in console output" };

        var command = new Command("scan", "Scan a language model for memorized canaries (exposure) and write findings")
        {
            model, manifest, runs, runId, exactLimit, samples, batch, device, threads, failOn, redact,
        };
        command.SetAction(parsed =>
        {
            var options = new ScanOptions(
                parsed.GetValue(model)!.FullName,
                parsed.GetValue(manifest)?.FullName,
                parsed.GetValue(runs)!.FullName,
                parsed.GetValue(runId),
                new ExposureSettings
                {
                    ExactLimit = parsed.GetValue(exactLimit),
                    ExtrapolationSamples = parsed.GetValue(samples),
                    Batch = parsed.GetValue(batch),
                },
                parsed.GetValue(device) == "cuda" ? Device.Cuda : Device.Cpu,
                parsed.GetValue(threads),
                parsed.GetValue(failOn) is { } f ? SeverityNames.Parse(f) : null,
                parsed.GetValue(redact),
                Environment.CommandLine);
            return Scan(options);
        });
        return command;
    }

    public sealed record ScanOptions(
        string ModelPath, string? ManifestPath, string RunsRoot, string? RunId, ExposureSettings Exposure,
        Device Device, int Threads, Severity? FailOn, bool Redact, string CommandLine);

    public static int Scan(ScanOptions o)
    {
        if (!File.Exists(o.ModelPath)) throw new MemScanException($"model {o.ModelPath} does not exist");
        string manifestPath = o.ManifestPath ?? ModelManifest.PathFor(o.ModelPath);
        if (!File.Exists(manifestPath))
            throw new MemScanException($"model {o.ModelPath} has no manifest ({manifestPath}); pass --manifest");
        var manifest = ModelManifest.Load(manifestPath);
        if (manifest.Kind != "language-model")
            throw new MemScanException($"{manifestPath} describes a {manifest.Kind}; 'memscan scan' probes language models");
        var tokenizer = TokenizerFor(manifest, manifestPath);
        var canaries = manifest.LoadCanaries(manifestPath);
        if (canaries.Count == 0) throw new MemScanException($"{manifestPath} lists no canaries to measure");

        var sessionOptions = new OnnxSessionOptions { Device = o.Device, IntraOpThreads = o.Threads };
        using var lm = OnnxLanguageModel.Open(o.ModelPath, manifest.Io, sessionOptions);
        lm.MaxBatch = o.Exposure.Batch;
        if (lm.VocabSize != tokenizer.VocabSize)
            throw new MemScanException($"tokenizer has {tokenizer.VocabSize} tokens but the model's logits have {lm.VocabSize}: wrong manifest?");
        if (o.Device == Device.Cuda || !lm.DeviceNote.Equals("Cpu", StringComparison.OrdinalIgnoreCase))
            Console.Error.WriteLine($"memscan: device: {lm.DeviceNote}");

        var started = DateTime.UtcNow;
        var run = RunFolder.Create(o.RunsRoot, new RunInfo
        {
            RunId = o.RunId ?? RunFolder.NewRunId(o.ModelPath, started),
            ToolVersion = typeof(ScanCommand).Assembly.GetName().Version?.ToString() ?? "0",
            StartedUtc = started,
            ModelPath = o.ModelPath,
            ModelSha256 = RunInfo.ComputeSha256(o.ModelPath),
            ModelKind = manifest.Kind,
            ManifestPath = manifestPath,
            Probes = new Dictionary<string, IReadOnlyDictionary<string, string>>
            {
                [ExposureProbe.Name] = new Dictionary<string, string>
                {
                    ["exact_limit"] = o.Exposure.ExactLimit.ToString("G"),
                    ["samples"] = o.Exposure.ExtrapolationSamples.ToString(),
                    ["batch"] = o.Exposure.Batch.ToString(),
                },
            },
            Device = lm.DeviceNote,
            CommandLine = o.CommandLine,
        });
        try
        {
            var watch = Stopwatch.StartNew();
            var probe = new ExposureProbe(lm, tokenizer, o.Exposure);
            var rows = new List<CanaryExposure>();
            foreach (var canary in canaries)
            {
                Console.Error.WriteLine($"memscan: exposure of {canary.Id} ({canary.Space}, {canary.Space.Size:N0} candidates)");
                rows.Add(probe.Measure(canary));
            }
            var findings = rows.Select(ExposureProbe.ToFinding).ToList();
            ExposureTable.WriteAsync(run.TablePath(CanaryExposure.TableName), rows).GetAwaiter().GetResult();
            FindingsTable.WriteAsync(run.FindingsPath, findings).GetAwaiter().GetResult();
            run.MarkComplete(DateTime.UtcNow, new Dictionary<string, double> { [ExposureProbe.Name] = watch.Elapsed.TotalSeconds });
            PrintExposure(rows, findings, o.Redact);
            AnsiConsole.MarkupLine($"results: [bold]{Markup.Escape(run.Path)}[/] ({lm.Queries:N0} model rows in {watch.Elapsed.TotalSeconds:F1}s)");
            if (o.FailOn is { } threshold && findings.Any(f => f.Severity >= threshold))
            {
                Console.Error.WriteLine($"memscan: findings at or above '{threshold.ToName()}' (--fail-on)");
                return 1;
            }
            return 0;
        }
        catch (Exception e)
        {
            run.MarkFailed(DateTime.UtcNow, e.Message);
            throw;
        }
    }

    static ITextTokenizer TokenizerFor(ModelManifest manifest, string manifestPath)
    {
        var spec = manifest.Tokenizer ?? throw new MemScanException($"{manifestPath} names no tokenizer");
        if (spec.Kind == "char" && spec.Symbols is { } symbols) return CharTokenizer.Create(symbols);
        throw new MemScanException($"{manifestPath}: tokenizer kind '{spec.Kind}' is not supported by this scan");
    }

    static void PrintExposure(IReadOnlyList<CanaryExposure> rows, IReadOnlyList<Finding> findings, bool redact)
    {
        var table = new Table().Title("[bold]Canary exposure[/]")
            .AddColumn("canary").AddColumn("secret").AddColumn(new TableColumn("ins").RightAligned())
            .AddColumn(new TableColumn("rank").RightAligned()).AddColumn(new TableColumn("|R|").RightAligned())
            .AddColumn(new TableColumn("bits").RightAligned()).AddColumn(new TableColumn("extrap").RightAligned())
            .AddColumn(new TableColumn("max").RightAligned()).AddColumn("severity");
        foreach (var (r, f) in rows.Zip(rows.Select(r => findings.First(f => f.Subject == r.CanaryId))))
        {
            table.AddRow(
                Markup.Escape(r.CanaryId),
                Markup.Escape(redact ? Redaction.Mask(r.Secret) : r.Secret),
                r.Insertions.ToString(),
                r.Rank.ToString("N0"),
                (r.SpaceSize < 1e5 ? r.SpaceSize.ToString("N0") : r.SpaceSize.ToString("0.##e0")),
                r.ExposureBits.ToString("F1"),
                r.ExtrapolatedExposureBits?.ToString("F1") ?? "-",
                f.MaxScore?.ToString("F1") ?? "-",
                SeverityMarkup(f.Severity));
        }
        AnsiConsole.Write(table);
    }

    static string SeverityMarkup(Severity s) => s switch
    {
        Severity.Critical => "[bold red]critical[/]",
        Severity.High => "[red]high[/]",
        Severity.Medium => "[yellow]medium[/]",
        Severity.Low => "[blue]low[/]",
        _ => "[grey]info[/]",
    };
}
