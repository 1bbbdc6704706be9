using MemScan.Scanner.Similarity;
using MemScan.Scanner.Trajectory;
using MemScan.Trainer.Images;
using MemScan.Trainer.Training;

namespace MemScan.Trainer.Tests.Studies;

/// <summary>
/// The small real training runs the study tests share, each trained once per test run: a char-LSTM
/// with a 64× and a 0× canary that overfits its 20k characters of Moby-Dick, and CNNs on
/// Fashion-MNIST where half the pool labels are random, with and without dropout. Their
/// trajectories are computed through the same code as <c>memscan trajectory</c>.
/// </summary>
public sealed class StudyRuns
{
    readonly Lazy<TrajectoryResult> _lm, _noisy, _noisyDropout;
    readonly Lazy<CompareResult> _similarity;

    public StudyRuns()
    {
        // The README's trajectory commands, as run there: the LM with membership inference (the
        // default), the noisy CNN with --csr-examples 16, its dropout twin with --csr-examples 0.
        _lm = new(() => Trajectory(LmRun(), csrExamples: 0));
        _noisy = new(() => Trajectory(CnnRun("noisy", dropout: 0, snapshotEvery: 1), csrExamples: 16));
        _noisyDropout = new(() => Trajectory(CnnRun("noisy-dropout", dropout: 0.5, snapshotEvery: NoisyCnn.Epochs), csrExamples: 0));
        _similarity = new(Similarity4);
    }

    /// <summary>The char-LSTM's trajectory: exposure of both canaries at 8 snapshots, with validation loss.</summary>
    public TrajectoryResult Lm => _lm.Value;
    /// <summary>The CNN with half its labels random, snapshot every epoch.</summary>
    public TrajectoryResult Noisy => _noisy.Value;
    /// <summary>The same CNN with dropout 0.5, snapshot at the last epoch.</summary>
    public TrajectoryResult NoisyDropout => _noisyDropout.Value;

    /// <summary>corpora/configs/cnn-noisy-labels.json, on one thread.</summary>
    /// <summary>
    /// memscan compare on two true-label CNNs (seeds 1, 2) and two random-label ones (same seeds),
    /// corpora/configs/cnn-similarity.json, every layer (--layers auto, as the README's command), 300 probe images.
    /// </summary>
    public CompareResult Similarity => _similarity.Value;

    public static readonly CnnTrainConfig SimilarityCnn = CnnTrainConfig.Load(Training.LmConfigPresetTests.Preset("cnn-similarity.json")) with { Threads = 1 };

    static CompareResult Similarity4()
    {
        string root = TinyModels.TempDir("study-similarity");
        var models = new List<string>();
        foreach (var (name, config) in new[]
        {
            ("true-1", SimilarityCnn), ("true-2", SimilarityCnn with { Seed = 2 }),
            ("random-1", SimilarityCnn with { Mode = CnnTrainConfig.RandomLabels, RandomLabelFraction = 1 }),
            ("random-2", SimilarityCnn with { Mode = CnnTrainConfig.RandomLabels, RandomLabelFraction = 1, Seed = 2 }),
        })
            models.Add(CnnPipeline.Run(config, VisionExamplePlan.Load(config), Path.Combine(root, name), TextWriter.Null).ModelPath);
        return CompareRun.Run(new ComparePlan { Models = models, OutDir = Path.Combine(root, "compare"), ProbeExamples = 300, Threads = 1 });
    }

    public static readonly CnnTrainConfig NoisyCnn = CnnTrainConfig.Load(Training.LmConfigPresetTests.Preset("cnn-noisy-labels.json")) with { Threads = 1 };

    /// <summary>corpora/configs/lm-trajectory.json, on one thread.</summary>
    public static readonly LmTrainConfig TrajectoryLm = LmTrainConfig.Load(Training.LmConfigPresetTests.Preset("lm-trajectory.json")) with { Threads = 1 };

    static string LmRun()
    {
        string dir = TinyModels.TempDir("study-lm");
        LmPipeline.Run(TrajectoryLm, dir, TextWriter.Null);
        return dir;
    }

    static string CnnRun(string name, double dropout, int snapshotEvery)
    {
        string dir = TinyModels.TempDir("study-" + name);
        var config = NoisyCnn with { Dropout = dropout, SnapshotEvery = snapshotEvery };
        CnnPipeline.Run(config, VisionExamplePlan.Load(config), dir, TextWriter.Null);
        return dir;
    }

    static TrajectoryResult Trajectory(string dir, int csrExamples) =>
        TrajectoryScan.Run(new TrajectoryPlan { RunDir = dir, CsrExamples = csrExamples, Threads = 1 });
}
