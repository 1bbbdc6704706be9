using System.IO.Pipes;
using System.Runtime.InteropServices;

namespace MemScan.Scanner.Isolation;

/// <summary>
/// Enlarges the kernel buffer of the pipe the model host answers on. A Linux pipe holds 64 KiB by
/// default, so one GPT answer (50,257 log-probs per row, hundreds of rows: ~100 MB) crosses in
/// thousands of writer/reader hand-offs; at 1 MiB (the unprivileged maximum) it is a sixteenth of
/// them. Only a speed-up: where it is not possible (not Linux, not a pipe, refused) nothing changes.
/// </summary>
internal static class PipeCapacity
{
    const int SetPipeSize = 1031; // F_SETPIPE_SZ
    public const int Bytes = 1 << 20;

    [DllImport("libc", SetLastError = true)]
    static extern int fcntl(int fd, int cmd, int arg);

    public static void TryEnlarge(Stream stream)
    {
        if (!OperatingSystem.IsLinux() || stream is not PipeStream { SafePipeHandle: { IsInvalid: false } handle }) return;
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            _ = fcntl((int)handle.DangerousGetHandle(), SetPipeSize, Bytes); // -1 (EPERM over the limit): keep the default
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    /// <summary>The pipe's capacity in bytes (F_GETPIPE_SZ), or -1 (tests).</summary>
    internal static int Of(Stream stream)
    {
        if (!OperatingSystem.IsLinux() || stream is not PipeStream pipe) return -1;
        return fcntl((int)pipe.SafePipeHandle.DangerousGetHandle(), SetPipeSize + 1, 0);
    }
}
