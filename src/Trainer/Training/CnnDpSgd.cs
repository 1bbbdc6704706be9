using MemScan.Trainer.Models;
using static TorchSharp.torch;

namespace MemScan.Trainer.Training;

/// <summary>DP-SGD training of a <see cref="SmallCnn"/> (placeholder until src/Trainer/Privacy lands).</summary>
public static class CnnDpSgd
{
    public sealed record Result(double FinalLoss, long Steps, double Epsilon, string Accountant);

    public static Result Train(SmallCnn model, Tensor images, Tensor labels, CnnTrainConfig config, int seed, TextWriter? log, string name) =>
        throw new Scanner.MemScanException("dp-sgd mode is not available yet");
}
