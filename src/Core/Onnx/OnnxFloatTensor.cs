namespace MemScan.Scanner.Onnx;

/// <summary>A model output copied into managed memory as float32, with its shape.</summary>
public sealed record OnnxFloatTensor(string Name, float[] Data, long[] Shape)
{
    public int Rank => Shape.Length;

    /// <summary>Row-major index of <paramref name="index"/> (one entry per dimension).</summary>
    public float this[params long[] index]
    {
        get
        {
            if (index.Length != Shape.Length)
                throw new ArgumentException($"'{Name}' has rank {Shape.Length}, got {index.Length} indices");
            long flat = 0;
            for (int i = 0; i < index.Length; i++)
            {
                if ((ulong)index[i] >= (ulong)Shape[i])
                    throw new IndexOutOfRangeException($"'{Name}' index {index[i]} out of range for dimension {i} of size {Shape[i]}");
                flat = flat * Shape[i] + index[i];
            }
            return Data[flat];
        }
    }

    public override string ToString() => $"{Name}[{string.Join(", ", Shape)}]";
}
