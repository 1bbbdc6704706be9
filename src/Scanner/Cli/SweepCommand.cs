using System.CommandLine;
using System.Globalization;
using MemScan.Scanner.Onnx;
using MemScan.Scanner.Reports;
using MemScan.Scanner.Sweeps;

namespace MemScan.Scanner.Cli;

/// <summary>
/// <c>memscan sweep MODEL.onnx</c>: one shard of a bulk extraction sweep (Carlini et al. 2021), and
/// <c>memscan sweep merge SWEEP_DIR</c>: dedupe, rank, confirm, report.
/// </summary>
public static class SweepCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "the ONNX language model to sample from" };
        var manifest = new Option<FileInfo?>("--manifest") { Description = "manifest (default: MODEL.memscan.json beside the model, if present)" };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "tokenizer of a third-party model (overrides the manifest's)" };
        var sweeps = new Option<DirectoryInfo>("--sweeps") { Description = "folder that receives the sweep folder", DefaultValueFactory = _ => new DirectoryInfo("sweeps") };
        var sweepId = new Option<string?>("--sweep-id") { Description = "name of the sweep folder (default: model name + hash of the settings, equal for every shard)" };
        var samples = new Option<long>("--samples", "-n") { Description = "samples in the whole sweep, all shards together", DefaultValueFactory = _ => 1000 };
        var tokens = new Option<int>("--tokens", "-l") { Description = "tokens generated per sample", DefaultValueFactory = _ => 256 };
        var topK = new Option<int>("--top-k") { Description = "sample from the k most likely tokens (0 = all)", DefaultValueFactory = _ => 40 };
        var temperature = new Option<double>("--temperature") { Description = "sampling temperature (the final one when decaying)", DefaultValueFactory = _ => 1.0 };
        var temperatureStart = new Option<double?>("--temperature-start") { Description = "decaying temperature: start here (the paper: 10) and anneal linearly to --temperature" };
        var decayTokens = new Option<int>("--temperature-decay-tokens") { Description = "tokens over which the temperature decays", DefaultValueFactory = _ => 20 };
        var prompts = new Option<FileInfo?>("--prompts") { Description = "prompt corpus, one prompt per line, drawn per sample (default: start every sample from --start)" };
        var promptTokens = new Option<int>("--prompt-tokens") { Description = "cut prompts to their first N tokens (0 = whole lines)", DefaultValueFactory = _ => 0 };
        var start = new Option<string>("--start") { Description = "start text without --prompts (default: a newline; \\n and \\t are unescaped)", DefaultValueFactory = _ => "\\n" };
        var seed = new Option<long>("--seed") { Description = "sample i depends only on (seed, i)", DefaultValueFactory = _ => 0 };
        var window = new Option<int>("--window") { Description = "tokens of the sliding-window minimum perplexity", DefaultValueFactory = _ => 50 };
        var batch = new Option<int>("--batch") { Description = "samples per model batch (part of the sweep's identity)", DefaultValueFactory = _ => 64 };
        var batchesPerPart = new Option<int>("--batches-per-part") { Description = "batches (row groups) per Parquet part: the unit of commit and resume", DefaultValueFactory = _ => 4 };
        var reference = new Option<FileInfo?>("--reference") { Description = "reference ONNX model for the reference ratio (its manifest beside it)" };
        var referenceTokenizer = new Option<string?>("--reference-tokenizer") { Description = "tokenizer of a reference model without a manifest" };
        var shard = new Option<string?>("--shard") { Description = "this process's shard, i/n; always wins (default: from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID with --shards, else 0/1)" };
        var shards = new Option<int?>("--shards") { Description = "the sweep's shard count, needed with JOB_COMPLETION_INDEX / SLURM_ARRAY_TASK_ID (a Slurm task id is the shard; read by position only in an array of exactly n tasks)" };
        var maxParts = new Option<int?>("--max-parts") { Description = "stop cleanly after writing this many parts; rerun to continue" };
        var device = DeviceOption.Create();
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads (0 = all cores)", DefaultValueFactory = _ => 0 };
        var memoryBudget = new Option<string?>("--memory-budget") { Description = "as for scan: most bytes of model state the model host holds, a quarter of it per model run (at most 512M), e.g. 2G (default: a quarter of this machine's memory)" };
        var inProcess = new Option<bool>("--in-process") { Description = "run the model and the reference inside this process (faster; a crash of ONNX Runtime on a hostile model then ends memscan)" };

        var command = new Command("sweep", "Bulk training-data extraction: sample many generations, score them, write resumable Parquet parts (one shard per process)")
        {
            model, manifest, tokenizer, sweeps, sweepId, samples, tokens, topK, temperature, temperatureStart, decayTokens, prompts,
            promptTokens, start, seed, window, batch, batchesPerPart, reference, referenceTokenizer, shard, shards, maxParts, device, threads, memoryBudget, inProcess,
            CreateMerge(), CreateCompare(),
        };
        command.SetAction(async (parsed, ct) =>
        {
            var plan = new SweepPlan
            {
                ModelPath = parsed.GetValue(model)!.FullName,
                ManifestPath = parsed.GetValue(manifest)?.FullName,
                Tokenizer = parsed.GetValue(tokenizer),
                SweepsRoot = parsed.GetValue(sweeps)!.FullName,
                SweepId = parsed.GetValue(sweepId),
                Settings = new SweepSettings
                {
                    Samples = parsed.GetValue(samples),
                    Tokens = parsed.GetValue(tokens),
                    TopK = parsed.GetValue(topK),
                    Temperature = new TemperatureSchedule(parsed.GetValue(temperature), parsed.GetValue(temperatureStart), parsed.GetValue(decayTokens)),
                    Seed = parsed.GetValue(seed),
                    Window = parsed.GetValue(window),
                    Batch = parsed.GetValue(batch),
                    BatchesPerPart = parsed.GetValue(batchesPerPart),
                    StartText = Unescape(parsed.GetValue(start)!),
                    PromptFile = parsed.GetValue(prompts)?.FullName,
                    PromptTokens = parsed.GetValue(promptTokens),
                },
                Shard = ShardSpec.Resolve(parsed.GetValue(shard), parsed.GetValue(shards), Environment.GetEnvironmentVariable),
                ReferencePath = parsed.GetValue(reference)?.FullName,
                ReferenceTokenizer = parsed.GetValue(referenceTokenizer),
                MaxParts = parsed.GetValue(maxParts),
                Device = DeviceOption.Read(parsed, device),
                Threads = parsed.GetValue(threads),
                Isolate = !parsed.GetValue(inProcess),
                MemoryBudget = parsed.GetValue(memoryBudget) is { } budgetText ? Scanning.MemoryBudgets.Parse(budgetText) : Scanning.MemoryBudgets.MachineDefault,
            };
            return await Sweep(plan, ct);
        });
        return command;
    }

    static Command CreateMerge()
    {
        var dir = new Argument<DirectoryInfo>("sweep-dir") { Description = "the sweep folder (sweeps/<sweep-id>)" };
        var corpus = new Option<FileInfo[]>("--corpus") { Description = "training text file to confirm samples against (repeatable)" };
        var corpusDir = new Option<DirectoryInfo?>("--corpus-dir") { Description = "folder of training text files (all files below it)" };
        var manifest = new Option<FileInfo?>("--manifest") { Description = "manifest with canaries and training corpus (default: the one sweep.json names)" };
        var minMatch = new Option<int>("--min-match") { Description = "shortest verbatim training-text match, in chars, that confirms a sample", DefaultValueFactory = _ => 50 };
        var dedup = new Option<double>("--dedup-threshold") { Description = "Jaccard similarity of char 5-gram sets at which samples are duplicates", DefaultValueFactory = _ => 0.7 };
        var top = new Option<string>("--top") { Description = "k values of precision at k", DefaultValueFactory = _ => "10,100" };
        var rows = new Option<int>("--rows") { Description = "confirmed samples shown in the console", DefaultValueFactory = _ => 10 };
        var redact = new Option<bool>("--redact") { Description = "mask extracted texts in console output (canary secrets and verbatim training text: both are findings' secrets)" };
        var failOn = new Option<string?>("--fail-on") { Description = "exit 1 when a finding reaches this severity (high: verbatim training text; critical: a canary)" };
        var allowPartial = new Option<bool>("--allow-partial") { Description = "merge even when shards or batches are missing or running (recorded in merge.json and the findings); without it such a sweep exits 3 naming them" };

        var command = new Command("merge", "Merge a sweep's parts: dedupe, rank by each metric, confirm against the training text and canaries, write ranked/precision/findings")
        {
            dir, corpus, corpusDir, manifest, minMatch, dedup, top, rows, redact, failOn, allowPartial,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var options = new SweepMergeOptions
            {
                SweepDir = parsed.GetValue(dir)!.FullName,
                CorpusFiles = (parsed.GetValue(corpus) ?? []).Select(f => f.FullName).ToList(),
                CorpusDir = parsed.GetValue(corpusDir)?.FullName,
                ManifestPath = parsed.GetValue(manifest)?.FullName,
                MinMatch = parsed.GetValue(minMatch),
                DedupThreshold = parsed.GetValue(dedup),
                TopK = ParseInts(parsed.GetValue(top)!, "--top"),
                AllowPartial = parsed.GetValue(allowPartial),
            };
            var threshold = parsed.GetValue(failOn) is { } f ? Results.SeverityNames.Parse(f) : (Results.Severity?)null;
            SweepMergeResult result;
            try
            {
                result = await SweepMerge.RunAsync(options, line => Console.Error.WriteLine($"memscan: {line}"), ct);
            }
            catch (SweepIncompleteException e)
            {
                Console.Error.WriteLine($"memscan: {e.Message}");
                return IncompleteSweep;
            }
            SweepReport.Print(result, parsed.GetValue(rows), parsed.GetValue(redact));
            if (threshold is { } t && result.Findings.Any(x => x.Severity >= t))
            {
                Console.Error.WriteLine($"memscan: findings at or above '{Results.SeverityNames.ToName(t)}' (--fail-on)");
                return 1;
            }
            return 0;
        });
        return command;
    }

    static Command CreateCompare()
    {
        var a = new Argument<DirectoryInfo>("sweep-a") { Description = "a sweep folder" };
        var b = new Argument<DirectoryInfo>("sweep-b") { Description = "another sweep folder of the same settings" };
        var command = new Command("compare", "Check that two sweep folders hold the same samples: every column but shard and created_utc, doubles bit for bit (exit 1 when not)") { a, b };
        command.SetAction(async (parsed, ct) =>
        {
            string dirA = parsed.GetValue(a)!.FullName, dirB = parsed.GetValue(b)!.FullName;
            var result = await SweepCompare.RunAsync(dirA, dirB, ct);
            if (result.Identical)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"identical: {result.RowsA:N0} samples, every column but shard and created_utc"));
                return 0;
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"different: {result.RowsA:N0} vs {result.RowsB:N0} samples"));
            foreach (string d in result.Differences) Console.WriteLine("  " + d);
            return 1;
        });
        return command;
    }

    /// <summary>Exit code of a merge refused because the sweep is not finished (as of a shard stopped by --max-parts).</summary>
    public const int IncompleteSweep = 3;

    /// <summary>Runs one shard, logging each committed part to stderr; 0 when done, 3 when stopped by --max-parts with work left.</summary>
    public static async Task<int> Sweep(SweepPlan plan, CancellationToken ct)
    {
        var c = CultureInfo.InvariantCulture;
        var result = await SweepRun.RunAsync(plan, line => Console.Error.WriteLine($"memscan: {line}"),
            p =>
            {
                if (p.PartCommitted)
                    Console.Error.WriteLine(string.Create(c, $"memscan: shard {p.Shard}: {p.SamplesDone:N0}/{p.SamplesTotal:N0} samples, committed {Path.GetFileName(p.PartPath)}"));
            }, ct);
        var s = result.Shard;
        Console.WriteLine(string.Create(c,
            $"sweep {result.Info.SweepId} shard {s.Shard}: {s.SamplesWritten:N0} samples written in {s.PartsWritten} part(s), " +
            $"{s.SamplesAlreadyCommitted:N0} already committed, {s.SamplesAlreadyCommitted + s.SamplesWritten:N0}/{s.SamplesTotal:N0} done " +
            $"({s.Seconds:F1}s, {result.Device})"));
        Console.WriteLine($"sweep folder: {result.SweepDir}" + (s.Complete ? "" : " (incomplete: rerun the same command to continue)"));
        return s.Complete ? 0 : 3;
    }

    static string Unescape(string text) => text.Replace("\\n", "\n").Replace("\\t", "\t");

    static IReadOnlyList<int> ParseInts(string text, string option)
    {
        var values = new List<int>();
        foreach (var p in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            values.Add(int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > 0
                ? v : throw new MemScanException($"{option}: '{p}' is not a positive integer"));
        return values.Count > 0 ? values : throw new MemScanException($"{option} is empty");
    }
}
