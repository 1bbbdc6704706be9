using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MemScan.Scanner.Onnx;

namespace MemScan.Scanner.Models;

/// <summary>
/// A run of elements of a state or cache array (float, float16, bfloat16, double) as bytes: one
/// memmove to copy and one vectorized compare to check, whatever the element type. Why: gathering
/// and sharing caches copy and compare thousands of short runs (a head's positions) per model run.
/// </summary>
static class ElementBytes
{
    /// <summary>Elements [<paramref name="start"/>, start + <paramref name="count"/>) of <paramref name="array"/>, bounds checked.</summary>
    public static Span<byte> Of(Array array, long start, long count)
    {
        if (start < 0 || count < 0 || start + count > array.Length)
            throw new ArgumentOutOfRangeException(nameof(start), $"elements {start}..{start + count} of an array of {array.Length}");
        int size = OnnxTypedArrays.ElementBytes(array);
        return MemoryMarshal.CreateSpan(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(array), (nint)(start * size)), checked((int)(count * size)));
    }
}
