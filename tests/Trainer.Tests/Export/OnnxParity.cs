using Xunit;

namespace MemScan.Trainer.Tests.Export;

/// <summary>The parity every exporter test holds the ONNX graph to: finite, and within 1e-4 of TorchSharp.</summary>
internal static class OnnxParity
{
    public const double Tolerance = 1e-4;

    public static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        Assert.All(actual, a => Assert.True(float.IsFinite(a)));
        double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= Tolerance, $"largest difference {worst:E2} exceeds {Tolerance:G1}");
    }
}
