using MemScan.Scanner.Manifest;
using MemScan.Trainer.Privacy;

namespace MemScan.Trainer.Training;

/// <summary>The settings both language-model trainers (char-LSTM, GPT) record in a manifest the same way.</summary>
public interface ILmTrainingSettings
{
    int Seed { get; }
    string Mode { get; }
    int BatchSize { get; }
    int SequenceLength { get; }
    double LearningRate { get; }
    double ClipNorm { get; }
    double Dropout { get; }
    double WeightDecay { get; }
}

/// <summary>How a language-model training run went, as both trainers report it.</summary>
public interface ILmTrainingOutcome
{
    double FinalLoss { get; }
    long Steps { get; }
    double Seconds { get; }
    /// <summary>The DP-SGD plan (σ, q, C, ε) of a dp-sgd run; null in standard mode.</summary>
    DpPlan? Privacy { get; }
}

/// <summary>The manifest's training record of a language model, filled the same way by both trainers.</summary>
public static class TrainingRecords
{
    /// <summary>
    /// Corpus, seed, mode and schedule, how training ended, clipping, the DP-SGD guarantee (σ, q, ε,
    /// δ, accountant; null fields in standard mode) and regularization (dropout, weight decay; null when off).
    /// </summary>
    public static TrainingRecord ForLanguageModel(TrainingCorpus corpus, ILmTrainingSettings config, ILmTrainingOutcome trained)
    {
        var dp = trained.Privacy;
        return new TrainingRecord
        {
            Corpus = corpus.Name,
            CorpusSha256 = corpus.Sha256,
            CorpusChars = corpus.Text.Length,
            Seed = config.Seed,
            Mode = config.Mode,
            Steps = trained.Steps,
            BatchSize = config.BatchSize,
            SequenceLength = config.SequenceLength,
            LearningRate = config.LearningRate,
            FinalLoss = trained.FinalLoss,
            Seconds = trained.Seconds,
            Trainer = "memscan-train " + typeof(TrainingRecords).Assembly.GetName().Version,
            ClipNorm = dp?.ClipNorm ?? config.ClipNorm,
            NoiseMultiplier = dp?.NoiseMultiplier,
            SamplingRate = dp?.SamplingRate,
            Sampling = dp?.Sampling,
            Epsilon = dp?.Spent.Epsilon,
            Delta = dp?.Spent.Delta,
            Accountant = dp?.Spent.Describe(),
            Dropout = config.Dropout > 0 ? config.Dropout : null,
            WeightDecay = config.WeightDecay > 0 ? config.WeightDecay : null,
        };
    }
}
