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

    /// <summary>Stacks per-sequence slices along the batch axis; an empty slice stands for zeros (a fresh LSTM).</summary>
    public Array Gather(Array[] slices, int history)
    {
        int b = slices.Length;
        long block = (Grows ? history : 1) * Inner, outer = Outer, middle = Middle;
        long per = PerSequence(history);
        var data = OnnxTypedArrays.Create(ElementType, per * b);
        for (int r = 0; r < b; r++)
        {
            if (slices[r].Length == 0) continue;
            if (slices[r].Length != per)
                throw new MemScanException($"state '{Input}': a sequence's slice holds {slices[r].Length} values, expected {per} after {history} tokens");
            for (long o = 0; o < outer; o++)
                for (long m = 0; m < middle; m++)
                    Array.Copy(slices[r], (o * middle + m) * block, data, ((o * b + r) * middle + m) * block, block);
        }
        return data;
    }

    /// <summary>Row <paramref name="r"/>'s slice of the output (<paramref name="history"/> = tokens consumed after the run).</summary>
    public Array Scatter(Array data, int b, int r, int history)
    {
        long block = (Grows ? history : 1) * Inner, outer = Outer, middle = Middle;
        var slice = OnnxTypedArrays.Create(ElementType, PerSequence(history));
        for (long o = 0; o < outer; o++)
            for (long m = 0; m < middle; m++)
                Array.Copy(data, ((o * b + r) * middle + m) * block, slice, (o * middle + m) * block, block);
        return slice;
    }
}
