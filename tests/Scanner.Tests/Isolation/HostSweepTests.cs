using System.Runtime.CompilerServices;
using MemScan.Scanner.Isolation;
using MemScan.Scanner.Models;
using MemScan.Scanner.Tests.Models;
using MemScan.Scanner.Tests.Onnx;
using Xunit;

namespace MemScan.Scanner.Tests.Isolation;

/// <summary>
/// A probe through the host allocates little on the scanner's side, so garbage collections there
/// (which find the states it dropped) are rare while the host keeps every dropped state's cache.
/// Once the host holds more than twice what it held after the last sweep, the scanner collects its
/// young objects and releases the dropped states: the host holds about the live states, not all made.
/// </summary>
public sealed class HostSweepTests : IDisposable
{
    const int Vocab = 7, Rows = 8, Steps = 150;
    readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    /// <summary>Walks <see cref="Rows"/> sequences <see cref="Steps"/> tokens on, dropping each step's states; returns the most the host held.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    static long Walk(IsolatedLanguageModel isolated)
    {
        var states = Enumerable.Repeat(isolated.Initial, Rows).ToArray();
        long most = 0;
        for (int t = 0; t < Steps; t++)
        {
            states = isolated.Advance(states, Enumerable.Range(0, Rows).Select(r => new[] { (r + t) % Vocab }).ToArray(), topNext: 1);
            most = Math.Max(most, isolated.HostHeldBytes);
        }
        return most;
    }

    /// <summary>A KV-cache state after t tokens: t token ids and t cached rows of Width floats.</summary>
    static long StateBytes(int t) => 4L * t * (CacheSumOnnxModel.Width + 1);

    [Fact]
    public void The_host_holds_about_the_live_states_not_every_state_made()
    {
        // A graph that rewrites its past: every state keeps a whole copy of its cache (a shared one
        // would hold only its own position, and the states made would not add up to this sum).
        string path = CacheSumOnnxModel.Write(_dir.File("cache.onnx"), Vocab, rewritePast: true);
        long made = Enumerable.Range(1, Steps).Sum(t => Rows * StateBytes(t));
        long live = 2 * Rows * StateBytes(Steps);

        // Without the sweep and without a collection here, the host keeps (nearly) everything made.
        using (var unswept = IsolatedLanguageModel.Open(path))
        {
            unswept.SweepFloorBytes = long.MaxValue;
            Assert.True(GC.TryStartNoGCRegion(64L << 20), "could not hold off collections for the control walk");
            long most;
            try { most = Walk(unswept); }
            finally { if (System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion) GC.EndNoGCRegion(); }
            Assert.True(most > made / 2, $"the control walk's host held at most {most} bytes of {made} made");
        }

        using var swept = IsolatedLanguageModel.Open(path);
        swept.SweepFloorBytes = 4 * StateBytes(Steps);
        long held = Walk(swept);
        Assert.True(held < made / 4, $"host held at most {held} bytes of {made} made (live about {live})");
        Assert.True(held <= 4 * live + swept.SweepFloorBytes, $"host held at most {held} bytes, live about {live}");
    }
}
