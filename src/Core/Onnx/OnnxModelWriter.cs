using Google.Protobuf;

namespace MemScan.Scanner.Onnx;

/// <summary>Writes a <see cref="ModelProto"/> to disk atomically.</summary>
public static class OnnxModelWriter
{
    /// <summary>
    /// Serializes <paramref name="model"/> to a temporary file in the destination folder, then
    /// renames it over <paramref name="path"/>: a killed process leaves the old file or the new
    /// one, never half of one.
    /// </summary>
    public static void Save(ModelProto model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        long size = model.CalculateSize();
        if (size <= 0 || size >= int.MaxValue)
            throw new MemScanException($"cannot write {path}: the model serializes to {size} bytes, over protobuf's 2 GiB limit (keep large weights in external data)");

        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                model.WriteTo(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new MemScanException($"cannot write ONNX model {path}: {e.Message}", e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
