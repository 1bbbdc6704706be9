using System.CommandLine;
using MemScan.Scanner.Probes.Discoverable;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Probes.Extraction;
using MemScan.Scanner.Probes.Membership;
using MemScan.Scanner.Reports;
using MemScan.Scanner.Results;
using MemScan.Scanner.Scanning;

namespace MemScan.Scanner.Cli;

/// <summary><c>memscan scan MODEL.onnx</c>: runs the language-model probes and writes a run folder.</summary>
public static class ScanCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "the ONNX model to scan" };
        var manifest = new Option<FileInfo?>("--manifest") { Description = "manifest (default: MODEL.memscan.json beside the model, if present)" };
        var shared = new RunOptions();
        var probes = new Option<string?>("--probes") { Description = "comma-separated: exposure, extraction, discoverable, mia, greedy_secret (default: all that apply but greedy_secret)" };
        var exactLimit = new Option<double>("--exact-limit") { Description = "largest space ranked exactly by enumeration", DefaultValueFactory = _ => 1e7 };
        var exactBudget = new Option<long>("--exact-budget") { Description = "model rows an exact ranking of a larger space may spend before falling back to extrapolation", DefaultValueFactory = _ => 2_000_000 };
        var samples = new Option<int>("--samples") { Description = "random candidates for skew-normal extrapolation (0 = off)", DefaultValueFactory = _ => 2000 };
        var exposureSeed = new Option<int>("--exposure-seed") { Description = "seed of the candidates drawn for the skew-normal extrapolation (recorded in run.json)", DefaultValueFactory = _ => 7 };
        var batch = new Option<int>("--batch") { Description = "sequences per model run (0 = chosen from the vocabulary size and available memory)", DefaultValueFactory = _ => 512 };
        var extractTop = new Option<int>("--extract-top") { Description = "completions reported per template by extraction", DefaultValueFactory = _ => 10 };
        var memoryBudget = new Option<string?>("--memory-budget") { Description = "most bytes of model state (KV caches) the searches and the model host hold, a quarter of it per model run (at most 512M), e.g. 2G (default: a quarter of this machine's memory)" };
        var extractBudget = new Option<long>("--extract-budget") { Description = "model rows extraction may spend per canary", DefaultValueFactory = _ => 200_000 };
        var prefixLengths = new Option<string>("--prefix-lengths") { Description = "discoverable memorization prompt lengths in tokens", DefaultValueFactory = _ => "8,16,32" };
        var suffixTokens = new Option<int>("--suffix-tokens") { Description = "tokens of true continuation to reproduce", DefaultValueFactory = _ => 24 };
        var samplesFile = new Option<FileInfo?>("--samples-file") { Description = "training samples for discoverable memorization, one per line (default: the manifest's members)" };
        var profile = new Option<FileInfo?>("--profile") { Description = "model profile JSON naming input_ids, logits, state tensor pairs and optionally the context in tokens (for models MemScan cannot guess)" };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "tokenizer of a third-party model (overrides the manifest's)" };
        var canary = new Option<string[]>("--canary") { Description = "template with {secret} to probe, e.g. 'my PIN is {secret}' (repeatable; needs --space)" };
        var space = new Option<string?>("--space") { Description = "randomness space of --canary templates, e.g. digits:6" };
        var secret = new Option<string[]>("--secret") { Description = "known secret of the n-th --canary, for exposure (optional)" };
        var redact = new Option<bool>("--redact") { Description = "mask secrets in console output" };
        var inProcess = new Option<bool>("--in-process") { Description = "run the model inside this process (faster; a crash of ONNX Runtime on a hostile model then ends memscan)" };
        var members = new Option<FileInfo?>("--members") { Description = "mia: member samples, one per line (default: membership.parquet beside the model, or the manifest's)" };
        var nonMembers = new Option<FileInfo?>("--non-members") { Description = "mia: non-member samples, one per line" };
        var sampleLabels = new Option<bool>("--sample-labels") { Description = "mia: sample lines end in TAB + a slice label" };
        var reference = new Option<string[]>("--reference") { Description = "mia: reference model MODEL.onnx (repeatable; its manifest beside it)" };
        var noDiscovery = new Option<bool>("--no-reference-discovery") { Description = "mia: ignore the ref-XX models listed in membership.parquet beside the model" };
        var ratioReference = new Option<string?>("--ratio-reference") { Description = "mia: reference of the ref_ratio attack, by name (default: the first)" };
        var minK = new Option<double>("--min-k") { Description = "mia: fraction k of Min-K% and Min-K%++", DefaultValueFactory = _ => 0.2 };
        var liraStatistic = new Option<string>("--lira-statistic") { Description = "mia: LiRA's per-sample statistic: mean-logprob or logit", DefaultValueFactory = _ => "mean-logprob" };
        liraStatistic.AcceptOnlyFromAmong("mean-logprob", "logit");
        var folds = new Option<int>("--folds") { Description = "mia: cross-validation folds of the trained attacks (0 = none)", DefaultValueFactory = _ => 5 };
        var miaMaxSamples = new Option<int>("--mia-max-samples") { Description = "mia: at most this many members and as many non-members", DefaultValueFactory = _ => 1000 };
        var miaMaxTokens = new Option<int>("--mia-max-tokens") { Description = "mia: samples are cut to this many tokens", DefaultValueFactory = _ => 512 };
        var bootstrap = new Option<int>("--bootstrap") { Description = "mia: resamples of the AUC bootstrap", DefaultValueFactory = _ => 1000 };
        var miaSeed = new Option<int>("--mia-seed") { Description = "mia: seed of sampling, folds and bootstrap", DefaultValueFactory = _ => 0 };

        var command = new Command("scan", "Scan a language model: canary exposure, shortest-path extraction, discoverable memorization, membership inference")
        {
            model, manifest, probes, exactLimit, exactBudget, samples, exposureSeed, batch, extractTop, extractBudget, memoryBudget, prefixLengths,
            suffixTokens, samplesFile, profile, tokenizer, canary, space, secret, redact, inProcess,
            members, nonMembers, sampleLabels, reference, noDiscovery, ratioReference, minK, liraStatistic, folds, miaMaxSamples,
            miaMaxTokens, bootstrap, miaSeed,
        };
        shared.AddTo(command);
        command.SetAction(parsed =>
        {
            var run = shared.Read(parsed);
            long stateBudget = parsed.GetValue(memoryBudget) is { } budgetText ? MemoryBudgets.Parse(budgetText) : MemoryBudgets.MachineDefault;
            var plan = new LmScanPlan
            {
                ModelPath = parsed.GetValue(model)!.FullName,
                ManifestPath = parsed.GetValue(manifest)?.FullName,
                RunsRoot = run.RunsRoot,
                RunId = run.RunId,
                Resume = run.Resume,
                Probes = LmScanPlan.ParseProbes(parsed.GetValue(probes)),
                Exposure = new ExposureSettings
                {
                    ExactLimit = parsed.GetValue(exactLimit),
                    ExactBudget = parsed.GetValue(exactBudget),
                    ExtrapolationSamples = Positive(parsed.GetValue(samples), "--samples", allowZero: true),
                    Seed = parsed.GetValue(exposureSeed),
                    Batch = Positive(parsed.GetValue(batch), "--batch", allowZero: true),
                    MemoryBudget = stateBudget,
                },
                Extraction = new ExtractionSettings
                {
                    TopK = Positive(parsed.GetValue(extractTop), "--extract-top"),
                    MaxQueries = parsed.GetValue(extractBudget),
                    BackgroundSamples = parsed.GetValue(samples),
                    Seed = parsed.GetValue(exposureSeed),
                    MemoryBudget = stateBudget,
                },
                Discoverable = new DiscoverableSettings
                {
                    PrefixLengths = ParseInts(parsed.GetValue(prefixLengths)!, "--prefix-lengths"),
                    SuffixTokens = Positive(parsed.GetValue(suffixTokens), "--suffix-tokens"),
                },
                Mia = new MiaSettings
                {
                    MembersFile = parsed.GetValue(members)?.FullName,
                    NonMembersFile = parsed.GetValue(nonMembers)?.FullName,
                    SampleLabels = parsed.GetValue(sampleLabels),
                    References = parsed.GetValue(reference) ?? [],
                    DiscoverReferences = !parsed.GetValue(noDiscovery),
                    RatioReference = parsed.GetValue(ratioReference),
                    MinKFraction = parsed.GetValue(minK),
                    LiraStatistic = parsed.GetValue(liraStatistic) == "logit" ? LiraStatistic.Logit : LiraStatistic.MeanLogProb,
                    Folds = parsed.GetValue(folds),
                    MaxSamples = Positive(parsed.GetValue(miaMaxSamples), "--mia-max-samples"),
                    MaxTokens = Positive(parsed.GetValue(miaMaxTokens), "--mia-max-tokens"),
                    BootstrapResamples = Positive(parsed.GetValue(bootstrap), "--bootstrap"),
                    Seed = parsed.GetValue(miaSeed),
                },
                Tokenizer = parsed.GetValue(tokenizer),
                ProfilePath = parsed.GetValue(profile)?.FullName,
                ExtraCanaries = LmScanPlan.CanariesFromOptions(parsed.GetValue(canary) ?? [], parsed.GetValue(space), parsed.GetValue(secret) ?? []),
                SamplesFile = parsed.GetValue(samplesFile)?.FullName,
                Device = run.Device,
                Threads = run.Threads,
                FailOn = run.FailOn,
                Redact = parsed.GetValue(redact),
                Isolate = !parsed.GetValue(inProcess),
                CommandLine = Environment.CommandLine,
            };
            return Scan(plan);
        });
        return command;
    }

    /// <summary>Runs the scan, prints its report, and returns the exit code (1 when --fail-on is reached).</summary>
    public static int Scan(LmScanPlan plan)
    {
        var result = LmScan.Run(plan, line => Console.Error.WriteLine($"memscan: {line}"));
        Console.Error.WriteLine($"memscan: device: {result.Device}");
        ScanReport.Print(result, plan.Redact);
        if (plan.FailOn is { } threshold && result.Findings.Any(f => f.Severity >= threshold))
        {
            Console.Error.WriteLine($"memscan: findings at or above '{threshold.ToName()}' (--fail-on)");
            return 1;
        }
        return 0;
    }

    static int Positive(int value, string option, bool allowZero = false) =>
        value > 0 || (allowZero && value == 0) ? value : throw new MemScanException($"{option} must be {(allowZero ? ">= 0" : "> 0")}, got {value}");

    static IReadOnlyList<int> ParseInts(string text, string option)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var values = new List<int>();
        foreach (var p in parts)
            values.Add(int.TryParse(p, out int v) && v > 0 ? v : throw new MemScanException($"{option}: '{p}' is not a positive integer"));
        return values.Count > 0 ? values : throw new MemScanException($"{option} is empty");
    }
}
