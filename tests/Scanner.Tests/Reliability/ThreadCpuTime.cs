using System.Runtime.InteropServices;

namespace MemScan.Scanner.Tests.Reliability;

/// <summary>
/// CPU time of the calling thread (Linux CLOCK_THREAD_CPUTIME_ID): what a piece of work cost,
/// which, unlike wall-clock time, a loaded 2-core machine shared with other jobs does not inflate.
/// </summary>
internal static class ThreadCpuTime
{
    const int ClockThreadCpuTimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    struct TimeSpec { public long Seconds; public long Nanoseconds; }

    [DllImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
    static extern int ClockGetTime(int clock, out TimeSpec time);

    public static TimeSpan Now => ClockGetTime(ClockThreadCpuTimeId, out var t) == 0
        ? TimeSpan.FromTicks(t.Seconds * TimeSpan.TicksPerSecond + t.Nanoseconds / 100)
        : throw new InvalidOperationException($"clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed: errno {Marshal.GetLastPInvokeError()}");
}
