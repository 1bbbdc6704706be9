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
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = Results.AtomicFile.PrivateFileMode;
            return new ShardLock(new FileStream(path, options));
        }
        catch (IOException e)
        {
            throw new MemScanException($"shard {shard} ({shardFolder}) is being written by another process ({e.Message}); run each shard once at a time", e);
        }
    }

    public void Dispose() => _stream.Dispose();
}
