using MemScan.Scanner.Cli;
using MemScan.Scanner.Onnx;
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

    public CanaryModelFixture()
    {
        string dir = TinyModels.TempDir("e2e");
        var config = TinyModels.Config(steps: 300, hidden: 96) with
        {
            MaxChars = 60_000,
            LearningRate = 5e-3,
            Canaries =
            [
                new CanaryPlan.Request("often", "the vault code is {secret}\n", "digits:6", 64),
                new CanaryPlan.Request("never", "my old pager number was {secret}\n", "digits:6", 0),
            ],
        };
        Trained = LmPipeline.Run(config, Path.Combine(dir, "model"), TextWriter.Null);
        ExitCode = ScanCommand.Scan(new ScanCommand.ScanOptions(
            Trained.ModelPath, null, Path.Combine(dir, "runs"), "e2e",
            new ExposureSettings { ExtrapolationSamples = 1000 }, Device.Cpu, 0, FailOn: Severity.Critical, Redact: false, "test"));
        RunDir = Path.Combine(dir, "runs", "e2e");
    }
}
