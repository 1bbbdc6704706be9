namespace MemScan.Scanner.Sweeps;

/// <summary>
/// An exclusive lock on one shard folder (<c>.lock</c>, held open with FileShare.None, which .NET
/// maps to flock on Unix): two processes writing the same shard would both resume from the same
/// batch and duplicate rows, so the second is refused. The lock goes with the process, also when
/// it is killed, so a restart after a crash is never blocked.
/// </summary>
public sealed class ShardLock : IDisposable
{
    public const string FileName = ".lock";
    readonly FileStream _stream;

    ShardLock(FileStream stream) => _stream = stream;

    public static ShardLock Acquire(string shardFolder, int shard)
    {
        Results.AtomicFile.CreatePrivateDirectory(shardFolder);
        string path = Path.Combine(shardFolder, FileName);
        // A merge probing the lock (IsHeld) holds it for an instant: try a few times before refusing.
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return new ShardLock(Open(path, FileMode.OpenOrCreate));
            }
            catch (IOException) when (attempt < ProbeRetries)
            {
                Thread.Sleep(ProbeRetryDelay);
            }
            catch (IOException e)
            {
                throw new MemScanException($"shard {shard} ({shardFolder}) is being written by another process ({e.Message}); run each shard once at a time", e);
            }
        }
    }

    /// <summary>
    /// Whether a live process holds the shard's lock now (<c>sweep merge</c> tells a running shard
    /// from a dead one). False when the folder or its <c>.lock</c> does not exist.
    /// </summary>
    public static bool IsHeld(string shardFolder)
    {
        string path = Path.Combine(shardFolder, FileName);
        if (!File.Exists(path)) return false;
        try
        {
            Open(path, FileMode.Open).Dispose();
            return false;
        }
        catch (FileNotFoundException) { return false; }
        catch (DirectoryNotFoundException) { return false; }
        catch (IOException) { return true; }
    }

    const int ProbeRetries = 5;
    static readonly TimeSpan ProbeRetryDelay = TimeSpan.FromMilliseconds(200);

    static FileStream Open(string path, FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows() && mode != FileMode.Open) options.UnixCreateMode = Results.AtomicFile.PrivateFileMode;
        return new FileStream(path, options);
    }

    public void Dispose() => _stream.Dispose();
}
