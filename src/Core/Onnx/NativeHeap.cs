using System.Runtime.InteropServices;

namespace MemScan.Scanner.Onnx;

/// <summary>
/// Makes the C heap give large freed blocks back to the system. glibc's malloc serves blocks of
/// 128 KiB and up with their own mappings, but raises that threshold (up to 32 MiB) each time
/// such a block is freed; after that, blocks of that size come from the heap and their pages stay
/// resident when freed. Loading a model is exactly that pattern: ONNX Runtime reads every weight,
/// copies it into its own buffer, repacks it for the GEMM kernels and frees the earlier copies.
/// With the threshold left to move, a 475 MiB GPT-2-small file held 914 MiB resident once loaded;
/// with it fixed at 128 KiB, 700 MiB (and a 1,064 -> 850 MiB peak during the load), at the same
/// prepacked speed. Only glibc on Linux has <c>mallopt</c>; elsewhere this does nothing.
/// Called by <c>memscan</c> (scanner and model host) only: TorchSharp's CPU allocator allocates
/// and frees a step's activations every step, and the moving threshold is what keeps those
/// blocks from being mapped and unmapped each time (a 4 × 256 GPT's training ran 7-20 % slower
/// with the threshold fixed).
/// </summary>
public static partial class NativeHeap
{
    /// <summary>glibc's <c>M_MMAP_THRESHOLD</c>; setting it turns the moving threshold off.</summary>
    const int MmapThresholdParameter = -3;

    /// <summary>glibc's own starting threshold: blocks from here up are mapped and unmapped whole.</summary>
    public const int MappedBlockBytes = 128 * 1024;

    static readonly Lock Gate = new();
    static bool? _fixed;

    /// <summary>
    /// Fixes the threshold, once per process, before ONNX Runtime allocates; true when glibc took
    /// it. <c>memscan</c> calls it first thing.
    /// </summary>
    public static bool ReturnLargeFreedBlocks()
    {
        lock (Gate)
        {
            if (_fixed is bool done) return done;
            bool ok = false;
            if (OperatingSystem.IsLinux())
            {
                try { ok = mallopt(MmapThresholdParameter, MappedBlockBytes) == 1; }
                catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException) { ok = false; } // musl has no mallopt
            }
            _fixed = ok;
            return ok;
        }
    }

    [LibraryImport("libc")]
    private static partial int mallopt(int parameter, int value);
}
