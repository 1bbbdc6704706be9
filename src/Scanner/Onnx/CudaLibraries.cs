using System.Runtime.InteropServices;

namespace MemScan.Scanner.Onnx;

/// <summary>
/// The CUDA libraries ONNX Runtime 1.31's CUDA provider (Microsoft.ML.OnnxRuntime.Gpu.Linux) links:
/// CUDA 13 and cuDNN 9. Checked by loading each one, so a fallback to CPU can say which is missing
/// instead of ORT's "Failed to load library libonnxruntime_providers_cuda.so".
/// </summary>
public static class CudaLibraries
{
    /// <summary>What libonnxruntime_providers_cuda.so links (ldd) plus cuDNN 9, which it loads at run time, and the driver's libcuda.so.1.</summary>
    public static readonly IReadOnlyList<string> Required = ["libcuda.so.1", "libcudart.so.13", "libcublasLt.so.13", "libcublas.so.13", "libcurand.so.10", "libcudnn.so.9"];

    /// <summary>The required libraries the dynamic loader cannot find (LD_LIBRARY_PATH, ldconfig).</summary>
    public static IReadOnlyList<string> Missing()
    {
        var missing = new List<string>();
        foreach (var name in Required)
        {
            if (NativeLibrary.TryLoad(name, out var handle)) NativeLibrary.Free(handle);
            else missing.Add(name);
        }
        return missing;
    }

    /// <summary>"missing libcudart.so.13, libcudnn.so.9" or "all found", for notes and inspect.</summary>
    public static string Describe()
    {
        var missing = Missing();
        return missing.Count == 0 ? $"{string.Join(", ", Required)} all found" : $"missing {string.Join(", ", missing)} (put CUDA 13 and cuDNN 9 on LD_LIBRARY_PATH)";
    }
}
