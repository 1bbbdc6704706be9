using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MemScan.Trainer.Models;

/// <summary>Shape of a char-level LSTM language model; <paramref name="Dropout"/> acts in training only.</summary>
public sealed record CharLstmShape(int Vocab, int Embedding, int Hidden, int Layers, double Dropout = 0);

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
    public readonly Dropout drop;

    public CharLstmLm(CharLstmShape shape) : base(nameof(CharLstmLm))
    {
        Shape = shape;
        embed = nn.Embedding(shape.Vocab, shape.Embedding);
        // LSTM's own dropout acts between layers only; embeddings and outputs get `drop`.
        lstm = nn.LSTM(shape.Embedding, shape.Hidden, numLayers: shape.Layers, batchFirst: true, dropout: shape.Layers > 1 ? shape.Dropout : 0);
        head = nn.Linear(shape.Hidden, shape.Vocab);
        drop = nn.Dropout(shape.Dropout);
        RegisterComponents();
    }

    public override (Tensor Logits, Tensor H, Tensor C) forward(Tensor ids, (Tensor H, Tensor C)? state)
    {
        using var scope = NewDisposeScope();
        var x = embed.forward(ids);
        // Skipped entirely at 0 so a dropout-free model computes exactly what it did before dropout existed.
        if (Shape.Dropout > 0) x = drop.forward(x);
        var (y, h, c) = lstm.forward(x, state);
        if (Shape.Dropout > 0) y = drop.forward(y);
        var logits = head.forward(y);
        return (logits.MoveToOuterDisposeScope(), h.MoveToOuterDisposeScope(), c.MoveToOuterDisposeScope());
    }
}
