using MemScan.Scanner.Results;
using MemScan.Tui.Data;

namespace MemScan.Tui.Demo;

/// <summary>
/// Writes a small, deterministic runs folder through the Scanner's results API, for the smoke test,
/// the screenshot and trying the TUI without a model: a complete run with exposure, ROC and loss
/// tables, a run still running, a run with a corrupt run.json, one with a corrupt findings.parquet,
/// a sweep with a corrupt part, and optionally a run with a very large findings table.
/// </summary>
internal static class DemoRuns
{
    public const string MainRunId = "20261125-193300-char-lstm-3fa9";
    public const string RunningRunId = "20261125-180000-gpt2-small-7c21";
    public const string CorruptInfoRunId = "20261124-090000-broken-0000";
    public const string CorruptFindingsRunId = "20261124-100000-resnet18-b7e2";
    public const string LargeRunId = "20261123-120000-big-lm-1d00";
    public const string SweepId = "s1";

    /// <param name="largeRows">Findings in the large run (0: no large run); written in row groups of 50,000.</param>
    public static async Task WriteAsync(string root, int largeRows = 0, CancellationToken cancellationToken = default)
    {
        AtomicFile.CreatePrivateDirectory(root);
        DateTime now = DateTime.UtcNow;
        await WriteMainRunAsync(root, now.AddMinutes(-10), cancellationToken);
        await WriteRunningRunAsync(root, now.AddHours(-2), cancellationToken);
        await WriteCorruptFindingsRunAsync(root, now.AddDays(-1), cancellationToken);
        string broken = Path.Combine(root, CorruptInfoRunId);
        AtomicFile.CreatePrivateDirectory(broken);
        await File.WriteAllTextAsync(Path.Combine(broken, RunFolder.InfoFileName), "{ \"run_id\": ", cancellationToken);
        // a corrupt run is listed by its folder time: keep it below the good runs
        Directory.SetLastWriteTimeUtc(broken, now.AddDays(-2));
        if (largeRows > 0)
            await WriteLargeRunAsync(root, now.AddDays(-3), largeRows, cancellationToken);
        await WriteSweepAsync(Path.Combine(root, RunCatalog.SweepsFolderName, SweepId), cancellationToken);
    }

    private static RunInfo Info(string id, DateTime started, string model, params string[] probes) => new()
    {
        RunId = id, ToolVersion = "0.1.0-demo", StartedUtc = started, ModelPath = $"models/{model}.onnx",
        ModelSha256 = new string('a', 64), ModelKind = "language_model",
        Probes = probes.ToDictionary(p => p, _ => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>()),
        CommandLine = $"memscan scan models/{model}.onnx",
    };

    private static async Task WriteMainRunAsync(string root, DateTime started, CancellationToken ct)
    {
        RunFolder run = RunFolder.Create(root, Info(MainRunId, started, "char-lstm", "exposure", "extraction", "mia"));
        var rng = new Random(7);
        (string Id, string Template, string Secret, int K, double Space, long Rank)[] canaries =
        [
            ("pin-16", "my PIN is {digits:6}", "281430", 16, 1e6, 1),
            ("pin-4", "my PIN is {digits:6}", "904117", 4, 1e6, 12),
            ("card-8", "card number {digits:16}", "4929131845100427", 8, 1e16, 3_400),
            ("pin-1", "my PIN is {digits:6}", "550912", 1, 1e6, 48_000),
            ("ssn-2", "ssn {digits:3}-{digits:2}-{digits:4}", "123-45-6789", 2, 1e9, 2_100_000),
            ("pin-0", "my PIN is {digits:6}", "377061", 0, 1e6, 512_000),
        ];
        var exposures = canaries.Select(c => new CanaryExposure
        {
            CanaryId = c.Id, Template = c.Template, Secret = c.Secret, Insertions = c.K, SpaceSize = c.Space,
            Log2Space = Math.Log2(c.Space), LogPerplexity = 3 + rng.NextDouble() * 40, Rank = c.Rank,
            ExposureBits = Math.Log2(c.Space) - Math.Log2(c.Rank), Method = c.Space > 1e8 ? CanaryExposure.Extrapolated : CanaryExposure.Exact,
            CandidatesScored = c.Space > 1e8 ? 100_000 : (long)c.Space, Seconds = 10 + rng.NextDouble() * 50,
        }).ToList();
        await ExposureTable.WriteAsync(run.TablePath("exposure"), exposures, ct);

        var findings = new List<Finding>();
        foreach (CanaryExposure e in exposures)
        {
            double fraction = e.ExposureBits / e.Log2Space;
            Severity severity = fraction > 0.95 ? Severity.Critical : fraction > 0.6 ? Severity.High : fraction > 0.3 ? Severity.Medium : Severity.Low;
            findings.Add(new Finding
            {
                Probe = "exposure", Subject = e.CanaryId, Severity = severity, Score = e.ExposureBits, ScoreName = "exposure_bits",
                MaxScore = e.Log2Space, Secret = e.Secret, Rank = e.Rank, Queries = e.CandidatesScored,
                Evidence = $"rank {e.Rank:N0} of {e.SpaceSize:N0} candidates ({e.Method}); exposure {e.ExposureBits:0.0} of {e.Log2Space:0.0} bits after {e.Insertions} insertions",
                CreatedUtc = started.AddMinutes(3),
            });
        }
        findings.Add(new Finding
        {
            Probe = "extraction", Subject = "pin-16", Severity = Severity.Critical, Score = 1, ScoreName = "extraction_rank",
            Secret = "281430", Rank = 1, Queries = 212,
            Evidence = "secret came out first after 212 model queries (brute force: 500,000 expected)", CreatedUtc = started.AddMinutes(5),
        });
        findings.Add(new Finding
        {
            Probe = "extraction", Subject = "card-8", Severity = Severity.Medium, Score = 3400, ScoreName = "extraction_rank",
            Secret = "4929131845100427", Rank = 3400, Queries = 1_250_000,
            Evidence = "secret found at rank 3,400 after 1,250,000 queries", CreatedUtc = started.AddMinutes(6),
        });
        findings.Add(new Finding
        {
            Probe = "mia", Subject = "model", Severity = Severity.High, Score = 0.21, ScoreName = "tpr_at_1pct_fpr", MaxScore = 1,
            Evidence = "loss attack: AUC 0.83, TPR 21% at 1% FPR over 2,000 members / 2,000 non-members", CreatedUtc = started.AddMinutes(8),
        });
        findings.Add(new Finding
        {
            Probe = "mia", Subject = "model", Severity = Severity.Info, Score = 0.83, ScoreName = "roc_auc", MaxScore = 1,
            Evidence = "ROC AUC of the loss attack", CreatedUtc = started.AddMinutes(8),
        });
        await FindingsTable.WriteAsync(run.FindingsPath, findings, ct);

        // ROC of a loss-threshold attack: members have lower loss
        var losses = new List<DemoLossRow>();
        for (int i = 0; i < 400; i++)
        {
            bool member = i % 2 == 0;
            double loss = Math.Max(0.01, (member ? 0.9 : 1.6) + Gaussian(rng) * 0.45);
            losses.Add(new DemoLossRow { ExampleId = $"ex-{i:D4}", Loss = loss, IsMember = member });
        }
        await ParquetTable<DemoLossRow>.WriteAsync(run.TablePath("mia"), losses, ct);
        var roc = new List<DemoRocRow>();
        foreach (double threshold in losses.Select(l => l.Loss).Order().Where((_, i) => i % 8 == 0).Append(double.MaxValue))
        {
            double tpr = losses.Count(l => l.IsMember && l.Loss <= threshold) / 200.0;
            double fpr = losses.Count(l => !l.IsMember && l.Loss <= threshold) / 200.0;
            roc.Add(new DemoRocRow { Attack = "loss", Threshold = Math.Min(threshold, 99), Fpr = fpr, Tpr = tpr });
        }
        await ParquetTable<DemoRocRow>.WriteAsync(run.TablePath("roc"), roc, ct);
        run.MarkComplete(started.AddMinutes(9), new Dictionary<string, double> { ["exposure"] = 300, ["extraction"] = 120, ["mia"] = 60 });
    }

    private static async Task WriteRunningRunAsync(string root, DateTime started, CancellationToken ct)
    {
        RunFolder run = RunFolder.Create(root, Info(RunningRunId, started, "gpt2-small", "exposure", "extraction", "sweep"));
        await FindingsTable.WriteAsync(run.FindingsPath,
        [
            new Finding
            {
                Probe = "exposure", Subject = "email-3", Severity = Severity.High, Score = 24.5, ScoreName = "exposure_bits",
                MaxScore = 33.2, Secret = "jdoe@example.com", Rank = 21, Queries = 100_000,
                Evidence = "rank 21 of 1.0e10 candidates (extrapolated); exposure 24.5 of 33.2 bits", CreatedUtc = started.AddMinutes(20),
            },
        ], ct);
        run.WriteInfo(run.ReadInfo() with { TimingsSeconds = new Dictionary<string, double> { ["exposure"] = 1200 } });
    }

    private static async Task WriteCorruptFindingsRunAsync(string root, DateTime started, CancellationToken ct)
    {
        RunFolder run = RunFolder.Create(root, Info(CorruptFindingsRunId, started, "resnet18", "mia"));
        await File.WriteAllBytesAsync(run.FindingsPath, "PAR1 this is not a parquet file PAR1"u8.ToArray(), ct);
        run.MarkComplete(started.AddMinutes(30));
    }

    private static async Task WriteLargeRunAsync(string root, DateTime started, int rows, CancellationToken ct)
    {
        RunFolder run = RunFolder.Create(root, Info(LargeRunId, started, "big-lm", "sweep"));
        var rng = new Random(11);
        await using (var writer = ParquetPartWriter<FindingRow>.Create(run.FindingsPath))
        {
            const int groupSize = 50_000;
            for (int start = 0; start < rows; start += groupSize)
            {
                var batch = new List<FindingRow>(groupSize);
                for (int i = start; i < Math.Min(rows, start + groupSize); i++)
                {
                    var severity = (Severity)(rng.Next(100) switch { < 60 => 0, < 85 => 1, < 95 => 2, < 99 => 3, _ => 4 });
                    double score = rng.NextDouble() * 10;
                    batch.Add(FindingRow.From(new Finding
                    {
                        Probe = i % 3 == 0 ? "discoverable" : "sweep", Subject = $"sample-{i:D7}", Severity = severity,
                        Score = score, ScoreName = "zlib_ratio", Secret = $"generated text {i}",
                        Evidence = $"generation {i:N0}: zlib ratio {score:0.00}", Queries = 1, CreatedUtc = started,
                    }));
                }
                await writer.WriteRowGroupAsync(batch, ct);
            }
            await writer.CommitAsync(ct);
        }
        run.MarkComplete(started.AddHours(1));
    }

    private static async Task WriteSweepAsync(string root, CancellationToken ct)
    {
        var rng = new Random(3);
        for (int part = 0; part < 2; part++)
        {
            var rows = Enumerable.Range(0, 500).Select(i => new DemoSweepRow
            {
                LogPerplexity = 20 + Gaussian(rng) * 6, ZlibRatio = 1 + rng.NextDouble(), Text = $"generation {part}-{i}",
            }).ToList();
            await ParquetTable<DemoSweepRow>.WriteAsync(HiveFolder.PartPath(root, 0, part), rows, ct);
        }
        string corrupt = HiveFolder.PartPath(root, 1, 0);
        AtomicFile.CreatePrivateDirectory(Path.GetDirectoryName(corrupt)!);
        await File.WriteAllTextAsync(corrupt, "truncated", ct);
    }

    /// <summary>Adds one more sweep part, as a running sweep would (for the live-view test).</summary>
    public static Task AddSweepPartAsync(string runsRoot, int part, CancellationToken ct = default) =>
        ParquetTable<DemoSweepRow>.WriteAsync(
            HiveFolder.PartPath(Path.Combine(runsRoot, RunCatalog.SweepsFolderName, SweepId), 0, part),
            Enumerable.Range(0, 100).Select(i => new DemoSweepRow { LogPerplexity = i, ZlibRatio = 1, Text = $"late {i}" }), ct);

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
