using MemScan.Scanner;

namespace MemScan.Trainer.Models;

/// <summary>
/// Shape of a GPT-style decoder: vocabulary, context (learned positions), width, depth and heads.
/// The defaults are small enough to train on two CPU cores in a minute or two; the vocabulary is
/// GPT-2's full 50,257 so GPT-2 tokenization applies unchanged. <see cref="Dropout"/> is GPT-2's
/// embedding and residual dropout, active only in training (the exported graph has none).
/// <see cref="KvHeads"/> below <see cref="Heads"/> makes grouped-query attention (each key/value
/// head serves Heads/KvHeads query heads, as Llama-2-70B, Mistral, Qwen); <see cref="Rotary"/>
/// replaces the learned position table with rotary position embeddings (RoPE, as Llama), so the
/// context is a number in config.json rather than a table's size.
/// </summary>
public sealed record GptShape(int Vocab = GptShape.Gpt2Vocab, int Context = 128, int Dim = 128, int Layers = 2, int Heads = 4,
    double Dropout = 0, int KvHeads = 0, bool Rotary = false)
{
    public const int Gpt2Vocab = 50257;
    /// <summary>RoPE's base (Llama's θ).</summary>
    public const double RotaryBase = 10000;

    public int HeadDim => Dim / Heads;

    /// <summary>Key/value heads: <see cref="KvHeads"/>, or <see cref="Heads"/> when 0 (plain multi-head attention).</summary>
    public int KeyValueHeads => KvHeads == 0 ? Heads : KvHeads;

    public void Validate()
    {
        void Check(bool ok, string what) { if (!ok) throw new MemScanException($"invalid GPT shape: {what}"); }
        Check(Vocab > 0, $"vocab must be > 0, got {Vocab}");
        Check(Context > 0, $"context must be > 0, got {Context}");
        Check(Layers > 0, $"layers must be > 0, got {Layers}");
        Check(Heads > 0 && Dim > 0 && Dim % Heads == 0, $"dim ({Dim}) must be a positive multiple of heads ({Heads})");
        Check(Dropout is >= 0 and < 1, $"dropout must be in [0, 1), got {Dropout}");
        Check(KvHeads >= 0 && (KvHeads == 0 || Heads % KvHeads == 0), $"kv_heads ({KvHeads}) must divide heads ({Heads}) (0 = as many as heads)");
        Check(!Rotary || HeadDim % 2 == 0, $"rotary positions need an even head dimension, got {HeadDim}");
    }
}
