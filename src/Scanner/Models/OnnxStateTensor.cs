using MemScan.Scanner.Onnx;

namespace MemScan.Scanner.Models;

/// <summary>
/// A state tensor of an incremental ONNX language model: fed as <see cref="Input"/>, read back as
/// <see cref="Output"/>. One axis holds the batch; an optional second dynamic axis is the
/// <em>history</em> axis, whose length is the number of tokens consumed so far (GPT-2 style
/// past/present key and value caches, [batch, heads, past_seq, head_dim]); every other axis is
/// fixed (LSTM h/c, [layers, batch, hidden]). A sequence's slice in <see cref="LmState.Tensors"/>
/// is the tensor without its batch axis, flattened: [heads, history, head_dim] for a KV cache,
/// in the tensor's own element type (<see cref="ElementType"/>: a float16 cache stays float16).
/// </summary>
/// <param name="Dims">Input dims; the batch and history entries are placeholders (0).</param>
/// <param name="HistoryAxis">Index of the history axis, or -1 for fixed-size state.</param>
/// <param name="ElementType">float, float16, bfloat16 or double, as the graph declares the input.</param>
sealed record OnnxStateTensor(string Input, string Output, long[] Dims, int BatchAxis, int HistoryAxis, OnnxElementType ElementType = OnnxElementType.Float)
{
    public bool Grows => HistoryAxis >= 0;

    long Outer => Product(0, BatchAxis);
    /// <summary>Elements between the batch and history axes (1 without a history axis).</summary>
    long Middle => Grows ? Product(BatchAxis + 1, HistoryAxis) : 1;
    /// <summary>Elements after the history axis (after the batch axis without one).</summary>
    long Inner => Product((Grows ? HistoryAxis : BatchAxis) + 1, Dims.Length);

    long Product(int from, int to)
    {
        long p = 1;
        for (int i = from; i < to; i++) p *= Dims[i];
        return p;
    }

    /// <summary>Elements of one sequence's slice after <paramref name="history"/> tokens.</summary>
    public long PerSequence(int history) => Outer * Middle * (Grows ? history : 1) * Inner;

    /// <summary>The input's shape for <paramref name="batch"/> rows with <paramref name="history"/> tokens consumed.</summary>
    public long[] Shape(int batch, int history)
    {
        var dims = (long[])Dims.Clone();
        dims[BatchAxis] = batch;
        if (Grows) dims[HistoryAxis] = history;
        return dims;
    }

    /// <summary>Tensor <paramref name="k"/> of every state stacked into a new [b, ...] array (shared caches gathered along their chains).</summary>
    public Array Gather(IReadOnlyList<LmState> states, int k, int history)
    {
        var data = OnnxTypedArrays.Create(ElementType, PerSequence(history) * states.Count);
        GatherInto(data, [.. states], k, history);
        return data;
    }

    /// <summary>
    /// Stacks tensor <paramref name="k"/> of every state into the first [b, ...] elements of
    /// <paramref name="data"/> (a reused buffer, overwritten row by row, zeros for an empty slice):
    /// a state whose cache is shared (<see cref="LmState.Cache"/>) is gathered link by link along
    /// its chain, the others from their whole slices.
    /// </summary>
    public void GatherInto(Array data, LmState[] states, int k, int history)
    {
        int b = states.Length;
        for (int r = 0; r < b; r++)
        {
            var link = Grows ? states[r].Cache : null;
            if (link is null)
            {
                GatherRow(data, b, r, states[r].Tensors[k], 0, history, history);
                continue;
            }
            if (link.End != history)
                throw new MemScanException($"state '{Input}': a sequence's shared cache holds {link.End} positions, expected {history}");
            for (; link is not null; link = link.Parent)
                GatherRow(data, b, r, link.Own[k], link.Start, link.Length, history);
        }
    }

    /// <summary>Copies a slice of <paramref name="length"/> positions into row r's positions from <paramref name="start"/> of a [b, history] input.</summary>
    void GatherRow(Array data, int b, int r, Array slice, int start, int length, int history)
    {
        long inner = Inner, outer = Outer, middle = Middle;
        long block = (Grows ? length : 1) * inner, rowBlock = (Grows ? history : 1) * inner, at = Grows ? start * inner : 0;
        if (slice.Length == 0)
        {
            for (long o = 0; o < outer; o++)
                for (long m = 0; m < middle; m++)
                    ElementBytes.Of(data, ((o * b + r) * middle + m) * rowBlock + at, block).Clear();
            return;
        }
        if (slice.Length != outer * middle * block)
            throw new MemScanException($"state '{Input}': a sequence's slice holds {slice.Length} values, expected {outer * middle * block} for {length} positions");
        for (long o = 0; o < outer; o++)
            for (long m = 0; m < middle; m++)
                ElementBytes.Of(slice, (o * middle + m) * block, block).CopyTo(ElementBytes.Of(data, ((o * b + r) * middle + m) * rowBlock + at, block));
    }

    /// <summary>Row <paramref name="r"/>'s slice of the output (<paramref name="history"/> = tokens consumed after the run).</summary>
    public Array Scatter(Array data, int b, int r, int history) => Scatter(data, b, r, 0, history);

    /// <summary>
    /// Row <paramref name="r"/>'s positions from <paramref name="from"/> on of an output of
    /// <paramref name="history"/> positions: only the positions a run added, for a state that
    /// shares the rest with its parent (all of it without a history axis).
    /// </summary>
    public Array Scatter(Array data, int b, int r, int from, int history)
    {
        long inner = Inner, outer = Outer, middle = Middle;
        long block = (Grows ? history - from : 1) * inner, rowBlock = (Grows ? history : 1) * inner, at = Grows ? from * inner : 0;
        var slice = OnnxTypedArrays.Create(ElementType, outer * middle * block);
        for (long o = 0; o < outer; o++)
            for (long m = 0; m < middle; m++)
                ElementBytes.Of(data, ((o * b + r) * middle + m) * rowBlock + at, block).CopyTo(ElementBytes.Of(slice, (o * middle + m) * block, block));
        return slice;
    }

    /// <summary>
    /// True when row <paramref name="r"/> of the output (<paramref name="total"/> positions) begins,
    /// bit for bit, with the past fed in (<paramref name="history"/> positions of the input
    /// <paramref name="past"/>): the graph appended the new positions to the past, so a child may
    /// share its parent's cache instead of keeping its own copy. A graph that changes its past (or a
    /// hostile one) fails this, and its output is then kept whole as before.
    /// </summary>
    public bool AppendsToPast(Array present, Array past, int b, int r, int history, int total)
    {
        if (!Grows) return false;
        long inner = Inner, outer = Outer, middle = Middle, block = history * inner;
        for (long o = 0; o < outer; o++)
            for (long m = 0; m < middle; m++)
                if (!ElementBytes.Of(present, ((o * b + r) * middle + m) * total * inner, block)
                        .SequenceEqual(ElementBytes.Of(past, ((o * b + r) * middle + m) * block, block)))
                    return false;
        return true;
    }
}
