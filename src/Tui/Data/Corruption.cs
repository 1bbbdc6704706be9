using MemScan.Scanner;

namespace MemScan.Tui.Data;

/// <summary>
/// Turns whatever a Parquet reader throws on a damaged file into one <see cref="MemScanException"/>
/// naming the file, so callers report and skip it instead of crashing. Cancellation passes through.
/// </summary>
internal static class Corruption
{
    public static async Task<T> Guard<T>(string path, Func<Task<T>> read, string where = "")
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not (MemScanException or OperationCanceledException))
        {
            throw new MemScanException($"{path} is corrupt: {where}{e.Message}", e);
        }
    }
}
