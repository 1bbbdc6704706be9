using MemScan.Scanner.Cli;
using MemScan.Scanner.Scanning;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Results;
using MemScan.Trainer.Canaries;
using MemScan.Trainer.Training;

namespace MemScan.Trainer.Tests.EndToEnd;

/// <summary>
/// Trains one small canary model on real prose (a few seconds), exports it and scans it with the
/// real CLI code path; the tests read what the scan wrote.
/// </summary>
public sealed class CanaryModelFixture
{
    public LmPipeline.Output Trained { get; }
    public string RunDir { get; }
    public int ExitCode { get; }

    /// <summary>The training settings (its canary-free twin takes the same, without canaries).</summary>
    public static LmTrainConfig Settings() => TinyModels.Config(steps: 300, hidden: 96) with
    {
        MaxChars = 60_000,
        LearningRate = 5e-3,
        Canaries =
        [
            new CanaryPlan.Request("often", "the vault code is {secret}\n", "digits:6", 64),
            new CanaryPlan.Request("never", "my old pager number was {secret}\n", "digits:6", 0),
            new CanaryPlan.Request("billion", "account number: {secret}\n", "digits:9", 64),
        ],
    };

    public CanaryModelFixture()
    {
        string dir = TinyModels.TempDir("e2e");
        var config = Settings();
        Trained = LmPipeline.Run(config, Path.Combine(dir, "model"), TextWriter.Null);
        ExitCode = ScanCommand.Scan(new LmScanPlan
        {
            ModelPath = Trained.ModelPath,
            RunsRoot = Path.Combine(dir, "runs"),
            RunId = "e2e",
            Exposure = new ExposureSettings { ExtrapolationSamples = 1000 },
            Discoverable = new() { MaxSamples = 64 },
            FailOn = Severity.Critical,
        });
        RunDir = Path.Combine(dir, "runs", "e2e");
    }
}
