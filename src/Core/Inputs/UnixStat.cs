using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace MemScan.Scanner;

/// <summary>
/// The two system calls .NET does not expose: the file type of a path or an open descriptor
/// (FileInfo knows files and directories only, and reports 0 bytes for a FIFO or /dev/zero), and an
/// open that cannot block (opening a FIFO for reading waits for a writer forever). Linux only;
/// <c>statx</c>'s layout is the same on every Linux architecture, unlike <c>struct stat</c>.
/// </summary>
internal static partial class UnixStat
{
    const int AtFdCwd = -100;
    const int AtEmptyPath = 0x1000;
    const uint StatxType = 0x1, StatxSize = 0x200;
    const int ORdOnly = 0, ONonBlock = 0x800, OCloExec = 0x80000;
    const int StatxBufferBytes = 256; // struct statx is 256 bytes
    const int ModeOffset = 28, SizeOffset = 40;

    /// <summary>Whether these calls are available (Linux); elsewhere the callers fall back to FileInfo.</summary>
    public static bool Supported => OperatingSystem.IsLinux();

    /// <summary>Kind and size of what <paramref name="path"/> names, links followed; Missing when it does not exist.</summary>
    public static (FileKind Kind, long Bytes) Stat(string path) => Statx(AtFdCwd, path, 0);

    /// <summary>Kind and size of an open descriptor.</summary>
    public static (FileKind Kind, long Bytes) Stat(SafeFileHandle handle)
    {
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return Statx((int)handle.DangerousGetHandle(), "", AtEmptyPath);
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    /// <summary>Opens <paramref name="path"/> read-only without blocking (a FIFO opens at once); throws IOException with errno's text.</summary>
    public static SafeFileHandle OpenNonBlocking(string path)
    {
        int fd = open(path, ORdOnly | ONonBlock | OCloExec);
        if (fd < 0) throw new IOException(Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()));
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    static unsafe (FileKind, long) Statx(int dirFd, string path, int flags)
    {
        byte* buffer = stackalloc byte[StatxBufferBytes];
        if (statx(dirFd, path, flags, StatxType | StatxSize, buffer) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno is 2 or 20) return (FileKind.Missing, 0); // ENOENT, ENOTDIR
            throw new IOException(Marshal.GetPInvokeErrorMessage(errno));
        }
        ushort mode = *(ushort*)(buffer + ModeOffset);
        long size = *(long*)(buffer + SizeOffset);
        FileKind kind = (mode & 0xF000) switch
        {
            0x8000 => FileKind.RegularFile,
            0x4000 => FileKind.Directory,
            0x1000 => FileKind.Pipe,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0xC000 => FileKind.Socket,
            _ => FileKind.Other,
        };
        return (kind, size);
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int statx(int dirfd, string pathname, int flags, uint mask, byte* statxbuf);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int open(string pathname, int flags);
}
