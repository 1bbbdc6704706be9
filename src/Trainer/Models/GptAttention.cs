using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MemScan.Trainer.Models;

/// <summary>
/// Causal multi-head self-attention with a key/value cache, laid out as GPT-2 (one <c>c_attn</c>
/// projection to q|k|v, one <c>c_proj</c> back). Keys and values are [batch, kv_heads, seq, head_dim];
/// the past is concatenated in front of the new ones, so the returned present is what the next
/// call takes as past. With fewer key/value heads than heads (grouped-query attention) query head h
/// reads key/value head h / (heads / kv_heads). With rotary positions, queries and keys are rotated
/// by their absolute position before the cache (the cache holds rotated keys, as Llama's does).
/// </summary>
public sealed class GptAttention : nn.Module
{
    /// <summary>
    /// Score given to disallowed (future or padded) keys before the softmax. Finite rather than
    /// -inf so that a row with no allowed key (a padding query) gives a uniform, not NaN, output;
    /// the ONNX export uses the same constant so both agree on such rows too.
    /// </summary>
    public const float MaskedScore = -1e9f;

    readonly int _heads, _kvHeads, _headDim;
    public readonly Linear c_attn, c_proj;

    public GptAttention(int dim, int heads, int kvHeads = 0) : base(nameof(GptAttention))
    {
        _heads = heads;
        _kvHeads = kvHeads == 0 ? heads : kvHeads;
        _headDim = dim / heads;
        c_attn = nn.Linear(dim, dim + 2 * _kvHeads * _headDim);
        c_proj = nn.Linear(dim, dim);
        RegisterComponents();
    }

    /// <param name="x">[batch, seq, dim]</param>
    /// <param name="past">keys and values [batch, kv_heads, past, head_dim], or null for none</param>
    /// <param name="allowed">bool [batch or 1, 1, seq, past + seq]: which keys each query may see</param>
    /// <param name="rotary">cos and sin [batch or 1, 1, seq, head_dim] of each new token's position, or null without rotary positions</param>
    public (Tensor Output, Tensor Key, Tensor Value) Forward(Tensor x, (Tensor Key, Tensor Value)? past, Tensor allowed, (Tensor Cos, Tensor Sin)? rotary = null)
    {
        long b = x.shape[0], t = x.shape[1], d = x.shape[2];
        using var scope = NewDisposeScope();
        long kvDim = _kvHeads * _headDim;
        var qkv = c_attn.forward(x).split([d, kvDim, kvDim], -1);
        Tensor Heads(Tensor m, int heads) => m.reshape(b, t, heads, _headDim).transpose(1, 2);
        var q = Heads(qkv[0], _heads);
        var k = Heads(qkv[1], _kvHeads);
        var v = Heads(qkv[2], _kvHeads);
        if (rotary is { } rope)
        {
            q = Rotate(q, rope.Cos, rope.Sin);
            k = Rotate(k, rope.Cos, rope.Sin);
        }
        if (past is { } cache)
        {
            k = cat([cache.Key, k], 2);
            v = cat([cache.Value, v], 2);
        }
        var (presentKey, presentValue) = (k, v);
        if (_kvHeads != _heads)
        {
            k = k.repeat_interleave(_heads / _kvHeads, 1);
            v = v.repeat_interleave(_heads / _kvHeads, 1);
        }
        var scores = q.matmul(k.transpose(2, 3)).mul(1.0 / Math.Sqrt(_headDim));
        scores = scores.masked_fill(allowed.logical_not(), MaskedScore);
        var attended = nn.functional.softmax(scores, -1).matmul(v);
        var merged = attended.transpose(1, 2).reshape(b, t, d);
        var output = c_proj.forward(merged);
        return (output.MoveToOuterDisposeScope(), presentKey.MoveToOuterDisposeScope(), presentValue.MoveToOuterDisposeScope());
    }

    /// <summary>RoPE in Llama's "rotate half" form: x·cos + (−x₂, x₁)·sin, with x₁, x₂ the two halves of the head.</summary>
    static Tensor Rotate(Tensor x, Tensor cos, Tensor sin)
    {
        long half = x.shape[3] / 2;
        var halves = x.split(half, -1);
        return x * cos + cat([-halves[1], halves[0]], -1) * sin;
    }
}
