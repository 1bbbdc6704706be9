using MemScan.Trainer.Models;
using MemScan.Trainer.Privacy;
using static TorchSharp.torch;

namespace MemScan.Trainer.Training;

/// <summary>The CNN trainer's dp-sgd mode: the config's σ, C and δ handed to <see cref="VisionDpSgd"/>.</summary>
public static class CnnDpSgd
{
    public static VisionDpSgd.Result Train(SmallCnn model, Tensor images, Tensor labels, CnnTrainConfig config, int seed, TextWriter? log, string name) =>
        VisionDpSgd.Train(model, images, labels, config.Epochs, config.BatchSize, config.LearningRate,
            config.NoiseMultiplier, config.ClipNorm, config.Delta, seed, log, name);
}
