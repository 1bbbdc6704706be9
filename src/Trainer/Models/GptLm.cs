using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MemScan.Trainer.Models;

/// <summary>
/// A small GPT-2-style decoder LM: token + learned position embeddings, pre-LN blocks with
/// causal self-attention and a key/value cache, final LayerNorm, and an LM head tied to the
/// token embedding (no bias, as GPT-2). Dropout (embeddings and residual branches, as GPT-2) is
/// off by default — the model is meant to memorize — and a training mode of its own when set.
/// </summary>
/// <remarks>
/// <see cref="Forward"/> follows Hugging Face GPT-2's calling convention, which the ONNX export
/// mirrors: position ids default to past_length + t, and the attention mask ([batch, past + seq],
/// 1 = attend, 0 = padding) is combined with the causal mask.
/// </remarks>
public sealed class GptLm : nn.Module
{
    public GptShape Shape { get; }
    public readonly Embedding wte;
    /// <summary>The learned position table; null with rotary positions.</summary>
    public readonly Embedding? wpe;
    public readonly ModuleList<GptBlock> h;
    public readonly LayerNorm ln_f;
    public readonly Dropout drop;

    public GptLm(GptShape shape) : base(nameof(GptLm))
    {
        shape.Validate();
        Shape = shape;
        wte = nn.Embedding(shape.Vocab, shape.Dim);
        wpe = shape.Rotary ? null : nn.Embedding(shape.Context, shape.Dim);
        h = new ModuleList<GptBlock>(Enumerable.Range(0, shape.Layers).Select(_ => new GptBlock(shape.Dim, shape.Heads, shape.Dropout, shape.KvHeads)).ToArray());
        drop = nn.Dropout(shape.Dropout);
        ln_f = nn.LayerNorm(shape.Dim, GptBlock.LayerNormEpsilon);
        RegisterComponents();
        InitializeLikeGpt2();
    }

    /// <summary>
    /// GPT-2's initialization (normal, std 0.02; zero biases). TorchSharp's default N(0, 1)
    /// embedding would make the tied head's first logits huge and the first steps wasted.
    /// </summary>
    void InitializeLikeGpt2()
    {
        using var _ = no_grad();
        foreach (var (name, p) in named_parameters())
        {
            if (name.Contains("ln_")) continue; // LayerNorm keeps weight 1, bias 0
            if (name.EndsWith(".bias")) nn.init.zeros_(p);
            else nn.init.normal_(p, 0, 0.02);
        }
    }

    /// <param name="ids">int64 [batch, seq]</param>
    /// <param name="past">per layer, keys and values [batch, heads, past, head_dim]; null for none</param>
    /// <param name="positionIds">int64 [batch, seq]; default past + 0..seq-1</param>
    /// <param name="attentionMask">int64 [batch, past + seq], 1 = attend; default all ones</param>
    /// <returns>logits [batch, seq, vocab] and per layer the presents [batch, heads, past + seq, head_dim]</returns>
    public (Tensor Logits, (Tensor Key, Tensor Value)[] Presents) Forward(
        Tensor ids, IReadOnlyList<(Tensor Key, Tensor Value)>? past = null, Tensor? positionIds = null, Tensor? attentionMask = null)
    {
        if (past is not null && past.Count != Shape.Layers)
            throw new ArgumentException($"past has {past.Count} layers, the model {Shape.Layers}");
        using var scope = NewDisposeScope();
        long t = ids.shape[1];
        long p = past is null ? 0 : past[0].Key.shape[2];
        positionIds ??= arange(p, p + t, ScalarType.Int64).unsqueeze(0);
        // Query i sits at absolute position p + i and may see key j when j <= p + i.
        var causal = arange(0, p + t, ScalarType.Int64).unsqueeze(0).le(arange(p, p + t, ScalarType.Int64).unsqueeze(1));
        var allowed = causal.unsqueeze(0).unsqueeze(0); // [1, 1, t, p + t]
        if (attentionMask is not null)
            allowed = allowed.logical_and(attentionMask.ne(0).unsqueeze(1).unsqueeze(2)); // [batch, 1, t, p + t]

        var x = drop.forward(wpe is null ? wte.forward(ids) : wte.forward(ids) + wpe.forward(positionIds));
        var rotary = Shape.Rotary ? RotaryAngles(positionIds) : ((Tensor, Tensor)?)null;
        var presents = new (Tensor Key, Tensor Value)[Shape.Layers];
        for (int l = 0; l < Shape.Layers; l++)
        {
            var (y, k, v) = h[l].Forward(x, past?[l], allowed, rotary);
            x = y;
            presents[l] = (k, v);
        }
        var logits = ln_f.forward(x).matmul(wte.weight!.t());
        logits.MoveToOuterDisposeScope();
        foreach (var (k, v) in presents)
        {
            k.MoveToOuterDisposeScope();
            v.MoveToOuterDisposeScope();
        }
        return (logits, presents);
    }

    /// <summary>
    /// Inverse frequencies of RoPE, θ^(−2i/head_dim) for i below head_dim/2, as Llama computes
    /// them; the ONNX export writes the same numbers.
    /// </summary>
    public static float[] RotaryInverseFrequencies(int headDim) =>
        Enumerable.Range(0, headDim / 2).Select(i => (float)(1.0 / Math.Pow(GptShape.RotaryBase, 2.0 * i / headDim))).ToArray();

    /// <summary>cos and sin [batch, 1, seq, head_dim] of positions × frequencies, each half repeated.</summary>
    (Tensor Cos, Tensor Sin) RotaryAngles(Tensor positionIds)
    {
        var frequencies = tensor(RotaryInverseFrequencies(Shape.HeadDim));
        var angles = positionIds.to_type(ScalarType.Float32).unsqueeze(-1) * frequencies; // [batch, seq, head_dim/2]
        var both = cat([angles, angles], -1).unsqueeze(1);
        return (both.cos(), both.sin());
    }
}
