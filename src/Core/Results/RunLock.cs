namespace MemScan.Scanner.Results;

/// <summary>
/// An exclusive lock on one run folder (<c>.lock</c>, held open with FileShare.None, which .NET
/// maps to flock on Unix) for as long as a scan writes it. run.json says "running" both for a scan
/// in progress and for one that was killed; the lock tells them apart, so <c>--resume</c> never
/// writes into a run another process is still writing. The lock goes with the process, also when
/// it is killed, so a resume after a crash is never blocked.
/// </summary>
public sealed class RunLock : IDisposable
{
    public const string FileName = ".lock";
    readonly FileStream _stream;

    RunLock(FileStream stream) => _stream = stream;

    /// <summary>Locks the existing folder <paramref name="runFolder"/>; refuses when another process holds it.</summary>
    public static RunLock Acquire(string runFolder)
    {
        string path = Path.Combine(runFolder, FileName);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = AtomicFile.PrivateFileMode;
            return new RunLock(new FileStream(path, options));
        }
        catch (Exception e) when (e is DirectoryNotFoundException)
        {
            throw new MemScanException($"run folder {runFolder} does not exist", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MemScanException($"run folder {runFolder} is being written by another process ({e.Message}); wait for it or kill it, then resume", e);
        }
    }

    public void Dispose() => _stream.Dispose();
}
