using Parquet;
using Parquet.Serialization;

namespace MemScan.Scanner.Results;

/// <summary>
/// Writes a large table one row group at a time into a hidden temp file and renames it into place
/// on <see cref="CommitAsync"/>, so a sweep killed mid-part leaves no half part for DuckDB or
/// pandas to trip over. Disposing without committing deletes the temp file.
/// </summary>
public sealed class ParquetPartWriter<T> : IAsyncDisposable where T : class, IParquetRow, new()
{
    private readonly string _tempPath;
    private FileStream? _stream;

    private ParquetPartWriter(string path, string tempPath, FileStream stream)
    {
        Path = path;
        _tempPath = tempPath;
        _stream = stream;
    }

    /// <summary>Where the part will be once committed.</summary>
    public string Path { get; }

    public int RowGroupCount { get; private set; }
    public long RowCount { get; private set; }
    public bool IsCommitted { get; private set; }

    /// <summary>Starts a part at <paramref name="path"/>; its folder is created owner-only if missing.</summary>
    public static ParquetPartWriter<T> Create(string path)
    {
        string temp = AtomicFile.CreateTemp(path, out FileStream stream);
        return new ParquetPartWriter<T>(path, temp, stream);
    }

    /// <summary>Appends <paramref name="rows"/> as one row group (an empty batch writes nothing).</summary>
    public async Task WriteRowGroupAsync(IReadOnlyCollection<T> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        FileStream stream = _stream ?? throw new InvalidOperationException(
            $"part {Path} is already {(IsCommitted ? "committed" : "disposed")}");
        if (rows.Count == 0)
            return;
        await WriteAsync(stream, rows, cancellationToken).ConfigureAwait(false);
        RowGroupCount++;
        RowCount += rows.Count;
    }

    /// <summary>Flushes to disk and renames the part into place. A part with no rows is a valid empty table.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        FileStream stream = _stream ?? throw new InvalidOperationException(
            $"part {Path} is already {(IsCommitted ? "committed" : "disposed")}");
        if (RowGroupCount == 0)
            await WriteAsync(stream, Array.Empty<T>(), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        stream.Flush(flushToDisk: true);
        await stream.DisposeAsync().ConfigureAwait(false);
        _stream = null;
        try
        {
            AtomicFile.Commit(_tempPath, Path);
        }
        catch
        {
            AtomicFile.TryDelete(_tempPath);
            throw;
        }
        IsCommitted = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_stream is null)
            return;
        await _stream.DisposeAsync().ConfigureAwait(false);
        _stream = null;
        AtomicFile.TryDelete(_tempPath);
    }

    private async Task WriteAsync(FileStream stream, IReadOnlyCollection<T> rows, CancellationToken ct)
    {
        // Parquet.Net appends by reading the footer back, adding a row group and rewriting the
        // footer; the first batch must create the file instead (Append needs an existing file).
        var options = new ParquetOptions { Append = RowGroupCount > 0 };
        if (rows.Count > 0)
            options.RowGroupSize = Math.Max(rows.Count, 1);
        await ParquetSerializer.SerializeAsync(rows, stream, options, ParquetTable<T>.Metadata, ct)
            .ConfigureAwait(false);
    }
}
