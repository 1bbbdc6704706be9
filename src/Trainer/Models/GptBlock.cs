using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MemScan.Trainer.Models;

/// <summary>
/// One pre-LayerNorm transformer block as in GPT-2: x + attn(ln_1(x)), then + mlp(ln_2(x)) where
/// the MLP is c_fc (4× wider) → exact GELU (erf) → c_proj. With dropout > 0 each branch's output is
/// dropped before it joins the residual stream (GPT-2's resid_pdrop), in training mode only.
/// </summary>
public sealed class GptBlock : nn.Module
{
    public const double LayerNormEpsilon = 1e-5;

    public readonly LayerNorm ln_1, ln_2;
    public readonly GptAttention attn;
    public readonly Linear c_fc, c_proj;
    public readonly Dropout resid_dropout;

    public GptBlock(int dim, int heads, double dropout = 0, int kvHeads = 0) : base(nameof(GptBlock))
    {
        resid_dropout = nn.Dropout(dropout);
        ln_1 = nn.LayerNorm(dim, LayerNormEpsilon);
        attn = new GptAttention(dim, heads, kvHeads);
        ln_2 = nn.LayerNorm(dim, LayerNormEpsilon);
        c_fc = nn.Linear(dim, 4 * dim);
        c_proj = nn.Linear(4 * dim, dim);
        RegisterComponents();
    }

    public (Tensor Output, Tensor Key, Tensor Value) Forward(Tensor x, (Tensor Key, Tensor Value)? past, Tensor allowed, (Tensor Cos, Tensor Sin)? rotary = null)
    {
        using var scope = NewDisposeScope();
        var (a, k, v) = attn.Forward(ln_1.forward(x), past, allowed, rotary);
        var h = x + resid_dropout.forward(a);
        var m = c_proj.forward(nn.functional.gelu(c_fc.forward(ln_2.forward(h))));
        var output = h + resid_dropout.forward(m);
        return (output.MoveToOuterDisposeScope(), k.MoveToOuterDisposeScope(), v.MoveToOuterDisposeScope());
    }
}
