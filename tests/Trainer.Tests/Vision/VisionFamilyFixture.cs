using MemScan.Scanner.Probes.Vision;
using MemScan.Scanner.Vision;
using MemScan.Trainer.Images;
using MemScan.Trainer.Training;

namespace MemScan.Trainer.Tests.Vision;

/// <summary>
/// Trains three tiny CNN families on real Fashion-MNIST images from one pool and canary set (a few
/// seconds per model on one thread) and scans each with the real vision scan: a standard target
/// with 4 references, a random-label target, and a DP-SGD target. The tests read what was written.
/// </summary>
public sealed class VisionFamilyFixture
{
    public static CnnTrainConfig Tiny => new()
    {
        Pool = 256, MislabeledCanaries = 48, NoiseCanaries = 48, TestImages = 300, Epochs = 30, BatchSize = 32,
        LearningRate = 3e-3, Conv1 = 8, Conv2 = 16, Hidden = 64, Seed = 7, Threads = 1,
    };

    public CnnPipeline.Output Standard { get; }
    public CnnPipeline.Output RandomLabels { get; }
    public CnnPipeline.Output Dp { get; }
    public VisionScanResult StandardScan { get; }
    public VisionScanResult RandomLabelsScan { get; }
    public VisionScanResult DpScan { get; }
    /// <summary>Memorization-only scans with k-NN on the conv features (--add-embedding-output features).</summary>
    public VisionScanResult StandardFeaturesScan { get; }
    public VisionScanResult RandomLabelsFeaturesScan { get; }
    public string Root { get; }
    public Dictionary<string, double> Seconds { get; } = [];

    public VisionFamilyFixture()
    {
        Root = TinyModels.TempDir("vision");
        var log = new StringWriter();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var standardConfig = Tiny with { References = 4 };
        Standard = CnnPipeline.Run(standardConfig, VisionExamplePlan.Load(standardConfig), Path.Combine(Root, "standard"), log);
        Seconds["train standard + 4 references"] = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var randomConfig = Tiny with { Mode = CnnTrainConfig.RandomLabels, RandomLabelFraction = 1.0, Epochs = 60 };
        RandomLabels = CnnPipeline.Run(randomConfig, VisionExamplePlan.Load(randomConfig), Path.Combine(Root, "random"), log);
        Seconds["train random labels"] = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var dpConfig = Tiny with { Mode = CnnTrainConfig.DpSgd, NoiseMultiplier = 1.0, ClipNorm = 1.0, Epochs = 10, BatchSize = 64 };
        Dp = CnnPipeline.Run(dpConfig, VisionExamplePlan.Load(dpConfig), Path.Combine(Root, "dp"), log);
        Seconds["train dp-sgd"] = watch.Elapsed.TotalSeconds;

        VisionScanResult Scan(CnnPipeline.Output o, string id, string? features = null)
        {
            watch.Restart();
            var r = VisionScan.Run(new VisionScanPlan
            {
                ModelPath = o.ModelPath,
                RunsRoot = Path.Combine(Root, "runs"),
                RunId = id,
                Threads = 1,
                AddEmbeddingOutput = features,
                Probes = features is null ? [] : [MemorizationProbe.Name],
                Membership = new MembershipSettings { Resamples = 50 },
                Memorization = new MemorizationSettings { Csr = new CsrSettings { Examples = features is null ? 48 : 0 } },
            });
            Seconds[$"scan {id}"] = watch.Elapsed.TotalSeconds;
            return r;
        }
        StandardScan = Scan(Standard, "standard");
        RandomLabelsScan = Scan(RandomLabels, "random");
        DpScan = Scan(Dp, "dp");
        StandardFeaturesScan = Scan(Standard, "standard-features", "features");
        RandomLabelsFeaturesScan = Scan(RandomLabels, "random-features", "features");
    }
}
