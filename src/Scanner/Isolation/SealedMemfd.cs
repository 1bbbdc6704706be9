using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace MemScan.Scanner.Isolation;

/// <summary>
/// An anonymous Linux shared-memory file (<c>memfd_create</c>) of a fixed size that nobody can shrink.
/// </summary>
/// <remarks>
/// Why not a file in /dev/shm or a temp folder: (1) a name in a folder outlives a process that is
/// killed before unlinking it, while a memfd has no name and goes with the last process holding it;
/// (2) the model host is untrusted, and a host that truncated a shared file would make the scanner's
/// next read of its mapping a SIGBUS, which kills the scanner outright. <c>F_SEAL_SHRINK</c> makes
/// the kernel refuse that truncation to everyone, the host included. The host opens the file through
/// <c>/proc/&lt;scanner pid&gt;/fd/&lt;fd&gt;</c>, which only a process of the same user may open.
/// </remarks>
internal static class SealedMemfd
{
    const uint CloseOnExec = 0x1;     // MFD_CLOEXEC: not inherited by other children of the scanner
    const uint AllowSealing = 0x2;    // MFD_ALLOW_SEALING
    const int AddSeals = 1033;        // F_ADD_SEALS
    const int SealSeal = 0x1, SealShrink = 0x2, SealGrow = 0x4;

    [DllImport("libc", SetLastError = true)]
    static extern int memfd_create(string name, uint flags);

    [DllImport("libc", SetLastError = true)]
    static extern int ftruncate(int fd, long length);

    [DllImport("libc", SetLastError = true)]
    static extern int fcntl(int fd, int cmd, int arg);

    /// <summary>A sealed memfd of exactly <paramref name="bytes"/> bytes, or null where the system has none (not Linux, refused, out of memory).</summary>
    public static SafeFileHandle? TryCreate(string name, long bytes)
    {
        if (!OperatingSystem.IsLinux()) return null;
        int fd;
        try
        {
            fd = memfd_create(name, CloseOnExec | AllowSealing);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
        if (fd < 0) return null;
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        // Size first, then seal size and seals themselves: from here on the length never changes.
        if (ftruncate(fd, bytes) != 0 || fcntl(fd, AddSeals, SealShrink | SealGrow | SealSeal) != 0)
        {
            handle.Dispose();
            return null;
        }
        return handle;
    }

    /// <summary>The path under which another process of the same user opens this memfd.</summary>
    public static string PathForOtherProcess(SafeFileHandle handle) =>
        $"/proc/{Environment.ProcessId}/fd/{handle.DangerousGetHandle()}";
}
