using MemScan.Scanner.Onnx;

namespace MemScan.Scanner.Models;

/// <summary>
/// The key/value-cache positions one state added to its sequence, shared by every state that
/// descends from it. Why: in a candidate tree every child repeats its parent's cache (72 KiB per
/// token on a 124M GPT, ~1 MiB per node), so a child keeps a reference to its parent's link and
/// holds only the positions it was fed; a prefix's cache is then held once for all its children.
/// A chain is at most <see cref="MaxDepth"/> links long (the state past it holds a full copy, a
/// new chain's first link), so gathering a row stays O(history) with a bounded number of copies.
/// </summary>
internal sealed class KvCacheLink
{
    /// <summary>Links in one chain at most: past this a state's cache is copied whole (flattened).</summary>
    public const int MaxDepth = 16;

    /// <param name="own">One array per state tensor: its <paramref name="length"/> positions, laid out as
    /// the tensor's slice ([heads, length, head_dim]); an empty array for a tensor without a history axis.</param>
    public KvCacheLink(KvCacheLink? parent, Array[] own, int length)
    {
        Parent = parent;
        Own = own;
        Start = parent?.End ?? 0;
        Length = length;
        Depth = (parent?.Depth ?? 0) + 1;
        foreach (var t in own)
            if (t.Length > 0) Bytes += (long)t.Length * OnnxTypedArrays.ElementBytes(t);
    }

    /// <summary>The positions before <see cref="Start"/>, or null for a chain's first link.</summary>
    public KvCacheLink? Parent { get; }
    public Array[] Own { get; }
    /// <summary>First position this link holds, and how many.</summary>
    public int Start { get; }
    public int Length { get; }
    public int End => Start + Length;
    /// <summary>Links from the chain's first to this one, this one included.</summary>
    public int Depth { get; }
    /// <summary>Bytes of this link's own positions (not its parent's).</summary>
    public long Bytes { get; }

    /// <summary>Bytes of the whole chain: every position up to <see cref="End"/>.</summary>
    public long ChainBytes
    {
        get
        {
            long bytes = 0;
            for (var link = this; link is not null; link = link.Parent) bytes += link.Bytes;
            return bytes;
        }
    }
}
