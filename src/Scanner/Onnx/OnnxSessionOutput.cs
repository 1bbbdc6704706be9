namespace MemScan.Scanner.Onnx;

/// <summary>
/// A caller-owned float buffer that <see cref="OnnxSession.RunInto"/> binds to a named output:
/// ONNX Runtime writes the output's <see cref="Shape"/>-many values into the start of
/// <see cref="Buffer"/>, which may be longer (so one buffer can be reused across calls).
/// </summary>
public readonly record struct OnnxSessionOutput(string Name, float[] Buffer, long[] Shape)
{
    public long Elements
    {
        get
        {
            long n = 1;
            foreach (long d in Shape) n = checked(n * d);
            return n;
        }
    }
}
