namespace MemScan.Scanner.Onnx;

/// <summary>
/// A caller-owned buffer that <see cref="OnnxSession.RunInto"/> binds to a named output:
/// ONNX Runtime writes the output's <see cref="Shape"/>-many values into the start of
/// <see cref="Buffer"/>, which may be longer (so one buffer can be reused across calls). The
/// buffer is of the output's own element type (float[], or ORT's Float16[] / BFloat16[], or
/// double[]): a half-precision output is written as half, with no float copy.
/// </summary>
public readonly record struct OnnxSessionOutput(string Name, Array Buffer, long[] Shape)
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
