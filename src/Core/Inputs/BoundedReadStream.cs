namespace MemScan.Scanner;

/// <summary>
/// A read-only view of an input file that refuses to go past its byte limit: the size checked
/// before opening is no bound for a file that grows while it is read (a log being appended, a
/// hostile writer), so every read checks where it got to. Seeking passes through for readers that
/// need it (Parquet footers, IDX headers).
/// </summary>
internal sealed class BoundedReadStream(Stream inner, string path, string what, long maxBytes) : Stream
{
    long _read; // bytes read, for an inner stream that cannot tell its position

    public override bool CanRead => true;
    public override bool CanSeek => inner.CanSeek;
    public override bool CanWrite => false;

    public override long Length
    {
        get
        {
            long length = inner.Length;
            return length <= maxBytes ? length : throw OverLimit();
        }
    }

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Counted(inner.Read(buffer));

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Counted(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken).ConfigureAwait(false));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Counted(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    int Counted(int n)
    {
        _read += n;
        long reached = inner.CanSeek ? inner.Position : _read;
        return reached <= maxBytes ? n : throw OverLimit();
    }

    MemScanException OverLimit() =>
        new($"{what} {path} holds more than {maxBytes} bytes, the limit ({InputFile.Describe(maxBytes)}); it grew while being read");
}
