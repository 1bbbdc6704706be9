using MemScan.Scanner.Scanning;
using MemScan.Scanner.Cli;
using MemScan.Scanner.Onnx;
using MemScan.Scanner.Probes.Exposure;
using MemScan.Scanner.Results;
using MemScan.Trainer.Canaries;
using MemScan.Trainer.Privacy;
using MemScan.Trainer.Training;

namespace MemScan.Trainer.Tests.EndToEnd;

/// <summary>
/// Two tiny char-LSTMs on the same Moby-Dick text with one canary inserted 64 times, identical but
/// for the mode — standard, and DP-SGD calibrated to epsilon 8 — both scanned by the real CLI path.
/// </summary>
public sealed class DpSgdExposureFixture
{
    public LmPipeline.Output Standard { get; }
    public LmPipeline.Output Private { get; }
    public CanaryExposure StandardExposure { get; }
    public CanaryExposure PrivateExposure { get; }

    public DpSgdExposureFixture()
    {
        string dir = TinyModels.TempDir("dp");
        var config = TinyModels.Config(steps: 300, hidden: 96) with
        {
            MaxChars = 60_000,
            LearningRate = 5e-3,
            // One thread: the per-example loop is thousands of tiny ops, and intra-op threads only
            // spin on a loaded 2-core machine.
            Threads = 1,
            Canaries = [new CanaryPlan.Request("often", "the vault code is {secret}\n", "digits:6", 64)],
        };
        Standard = LmPipeline.Run(config, Path.Combine(dir, "standard"), TextWriter.Null);
        Private = LmPipeline.Run(config with
        {
            Mode = LmTrainConfig.DpSgd,
            Dp = new DpConfig { TargetEpsilon = 8, ClipNorm = 1, Delta = 1e-5 },
        }, Path.Combine(dir, "dp"), TextWriter.Null);
        StandardExposure = Scan(Standard, dir, "standard");
        PrivateExposure = Scan(Private, dir, "dp");
    }

    static CanaryExposure Scan(LmPipeline.Output model, string dir, string id)
    {
        var result = LmScan.Run(new LmScanPlan
        {
            ModelPath = model.ModelPath,
            RunsRoot = Path.Combine(dir, "runs"),
            RunId = id,
            Probes = ["exposure"],
            Exposure = new ExposureSettings { ExtrapolationSamples = 0 },
        });
        return result.Exposure.Single();
    }
}
