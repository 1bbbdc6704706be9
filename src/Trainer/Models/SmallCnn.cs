using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MemScan.Trainer.Models;

/// <summary>Shape of a <see cref="SmallCnn"/>: input geometry, channel widths, hidden (embedding) size, classes, dropout.</summary>
public sealed record CnnShape(int Channels, int Height, int Width, int Classes, int Conv1, int Conv2, int Hidden, double Dropout)
{
    /// <summary>Features after two 2×2 max-pools (floor, as both torch and ONNX MaxPool do).</summary>
    public int Flattened => Conv2 * (Height / 4) * (Width / 4);
}

/// <summary>
/// A small image classifier in the style of the LiRA / auditing papers' CIFAR baselines, scaled down:
/// conv3×3 → ReLU → maxpool2 → conv3×3 → ReLU → maxpool2 → flatten → linear → ReLU (the embedding,
/// read by k-NN probes) → dropout → linear (logits). Input [batch, C, H, W], already normalized.
/// </summary>
public sealed class SmallCnn : nn.Module<Tensor, Tensor>
{
    public CnnShape Shape { get; }
    public readonly Conv2d conv1, conv2;
    public readonly Linear fc1, fc2;
    readonly Dropout dropout;

    public SmallCnn(CnnShape shape) : base(nameof(SmallCnn))
    {
        if (shape.Height < 4 || shape.Width < 4)
            throw new ArgumentException($"images must be at least 4×4 for two 2×2 pools, got {shape.Height}×{shape.Width}");
        Shape = shape;
        conv1 = nn.Conv2d(shape.Channels, shape.Conv1, 3, padding: 1);
        conv2 = nn.Conv2d(shape.Conv1, shape.Conv2, 3, padding: 1);
        fc1 = nn.Linear(shape.Flattened, shape.Hidden);
        fc2 = nn.Linear(shape.Hidden, shape.Classes);
        dropout = nn.Dropout(shape.Dropout);
        RegisterComponents();
    }

    /// <summary>The penultimate layer (after fc1's ReLU), [batch, Hidden]: what the ONNX export names <c>embedding</c>.</summary>
    public Tensor Embed(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = nn.functional.max_pool2d(nn.functional.relu(conv1.forward(x)), 2);
        h = nn.functional.max_pool2d(nn.functional.relu(conv2.forward(h)), 2);
        return nn.functional.relu(fc1.forward(h.flatten(1))).MoveToOuterDisposeScope();
    }

    public override Tensor forward(Tensor x)
    {
        using var e = Embed(x);
        using var d = dropout.forward(e);
        return fc2.forward(d);
    }
}
