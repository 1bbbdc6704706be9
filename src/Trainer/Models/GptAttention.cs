using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MemScan.Trainer.Models;

/// <summary>
/// Causal multi-head self-attention with a key/value cache, laid out as GPT-2 (one <c>c_attn</c>
/// projection to q|k|v, one <c>c_proj</c> back). Keys and values are [batch, heads, seq, head_dim];
/// the past is concatenated in front of the new ones, so the returned present is what the next
/// call takes as past.
/// </summary>
public sealed class GptAttention : nn.Module
{
    /// <summary>
    /// Score given to disallowed (future or padded) keys before the softmax. Finite rather than
    /// -inf so that a row with no allowed key (a padding query) gives a uniform, not NaN, output;
    /// the ONNX export uses the same constant so both agree on such rows too.
    /// </summary>
    public const float MaskedScore = -1e9f;

    readonly int _heads, _headDim;
    public readonly Linear c_attn, c_proj;

    public GptAttention(int dim, int heads) : base(nameof(GptAttention))
    {
        _heads = heads;
        _headDim = dim / heads;
        c_attn = nn.Linear(dim, 3 * dim);
        c_proj = nn.Linear(dim, dim);
        RegisterComponents();
    }

    /// <param name="x">[batch, seq, dim]</param>
    /// <param name="past">keys and values [batch, heads, past, head_dim], or null for none</param>
    /// <param name="allowed">bool [batch or 1, 1, seq, past + seq]: which keys each query may see</param>
    public (Tensor Output, Tensor Key, Tensor Value) Forward(Tensor x, (Tensor Key, Tensor Value)? past, Tensor allowed)
    {
        long b = x.shape[0], t = x.shape[1], d = x.shape[2];
        using var scope = NewDisposeScope();
        var qkv = c_attn.forward(x).split(d, -1);
        Tensor Heads(Tensor m) => m.reshape(b, t, _heads, _headDim).transpose(1, 2);
        var q = Heads(qkv[0]);
        var k = Heads(qkv[1]);
        var v = Heads(qkv[2]);
        if (past is { } cache)
        {
            k = cat([cache.Key, k], 2);
            v = cat([cache.Value, v], 2);
        }
        var scores = q.matmul(k.transpose(2, 3)).mul(1.0 / Math.Sqrt(_headDim));
        scores = scores.masked_fill(allowed.logical_not(), MaskedScore);
        var attended = nn.functional.softmax(scores, -1).matmul(v);
        var merged = attended.transpose(1, 2).reshape(b, t, d);
        var output = c_proj.forward(merged);
        return (output.MoveToOuterDisposeScope(), k.MoveToOuterDisposeScope(), v.MoveToOuterDisposeScope());
    }
}
