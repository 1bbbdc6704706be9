using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MemScan.Trainer.Models;

/// <summary>Shape of a char-level LSTM language model.</summary>
public sealed record CharLstmShape(int Vocab, int Embedding, int Hidden, int Layers);

/// <summary>
/// Character-level LSTM language model (the Secret Sharer's setting): embedding → LSTM → linear.
/// Batch-first: token ids [batch, seq] → logits [batch, seq, vocab]; state (h, c) each
/// [layers, batch, hidden], so a prefix can be run once and continued.
/// </summary>
public sealed class CharLstmLm : nn.Module<Tensor, (Tensor H, Tensor C)?, (Tensor Logits, Tensor H, Tensor C)>
{
    public CharLstmShape Shape { get; }
    public readonly Embedding embed;
    public readonly LSTM lstm;
    public readonly Linear head;

    public CharLstmLm(CharLstmShape shape) : base(nameof(CharLstmLm))
    {
        Shape = shape;
        embed = nn.Embedding(shape.Vocab, shape.Embedding);
        lstm = nn.LSTM(shape.Embedding, shape.Hidden, numLayers: shape.Layers, batchFirst: true);
        head = nn.Linear(shape.Hidden, shape.Vocab);
        RegisterComponents();
    }

    public override (Tensor Logits, Tensor H, Tensor C) forward(Tensor ids, (Tensor H, Tensor C)? state)
    {
        using var x = embed.forward(ids);
        var (y, h, c) = lstm.forward(x, state);
        var logits = head.forward(y);
        y.Dispose();
        return (logits, h, c);
    }
}
