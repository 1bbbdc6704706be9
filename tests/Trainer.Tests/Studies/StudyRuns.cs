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

    public StudyRuns()
    {
        _lm = new(() => Trajectory(LmRun()));
        _noisy = new(() => Trajectory(CnnRun("noisy", dropout: 0, snapshotEvery: 1)));
        _noisyDropout = new(() => Trajectory(CnnRun("noisy-dropout", dropout: 0.5, snapshotEvery: NoisyCnn.Epochs)));
    }

    /// <summary>The char-LSTM's trajectory: exposure of both canaries at 8 snapshots, with validation loss.</summary>
    public TrajectoryResult Lm => _lm.Value;
    /// <summary>The CNN with half its labels random, snapshot every epoch.</summary>
    public TrajectoryResult Noisy => _noisy.Value;
    /// <summary>The same CNN with dropout 0.5, snapshot at the last epoch.</summary>
    public TrajectoryResult NoisyDropout => _noisyDropout.Value;

    /// <summary>corpora/configs/cnn-noisy-labels.json, on one thread.</summary>
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

    static TrajectoryResult Trajectory(string dir) =>
        TrajectoryScan.Run(new TrajectoryPlan { RunDir = dir, Mia = false, CsrExamples = 0, Threads = 1 });
}
