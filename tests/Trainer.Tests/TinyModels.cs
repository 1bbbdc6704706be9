using MemScan.Scanner.Corpora;
using MemScan.Trainer.Canaries;
using MemScan.Trainer.Training;

namespace MemScan.Trainer.Tests;

/// <summary>Small, fast configurations of the real pipeline for tests (seconds, not minutes).</summary>
public static class TinyModels
{
    public static string ProseSample(int chars) => ProseCorpus.LoadMobyDick().TrainingText(chars);

    public static LmTrainConfig Config(int steps = 40, int hidden = 32, int layers = 1) => new()
    {
        Corpus = CorpusPaths.MobyDick,
        MaxChars = 40_000,
        Steps = steps,
        BatchSize = 16,
        SequenceLength = 48,
        Hidden = hidden,
        Embedding = 16,
        Layers = layers,
        Seed = 11,
        Canaries = [new CanaryPlan.Request("c64", "the vault code is {secret}\n", "digits:6", 64)],
    };

    public static string TempDir(string name)
    {
        string dir = Path.Combine(Path.GetTempPath(), "memscan-tests", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }
}
