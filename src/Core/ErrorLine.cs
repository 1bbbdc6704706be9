namespace MemScan.Scanner;

/// <summary>
/// One line for any exception, for the console and for run.json's <c>error</c>: a
/// <see cref="MemScanException"/> (a problem the user can fix) is its message; anything else (a full
/// disk, an I/O error, out of memory, a bug) is its type and message, with a hint where the user
/// can act. Wrappers (AggregateException from tasks, TargetInvocationException) are looked through.
/// </summary>
public static class ErrorLine
{
    public static string Of(Exception error)
    {
        var e = Unwrap(error);
        int others = error is AggregateException { InnerExceptions.Count: > 1 } many ? many.InnerExceptions.Count - 1 : 0;
        string line = e switch
        {
            MemScanException user => user.Message,
            OutOfMemoryException => $"out of memory ({e.Message}); try a smaller --batch or fewer samples",
            IOException io when IsDiskFull(io) => $"{e.Message.TrimEnd('.', ' ')} (the disk is full: free space and rerun; --resume continues a run)",
            IOException or UnauthorizedAccessException => $"{e.GetType().Name}: {e.Message}",
            _ => $"{e.GetType().Name}: {e.Message} (an unexpected error; rerun with --debug for the stack trace and report it)",
        };
        if (others > 0) line += $" (and {others} more error(s))";
        return MemScanException.OneLine(line);
    }

    /// <summary>The innermost exception of a chain of wrappers (the first of several inside an AggregateException).</summary>
    public static Exception Unwrap(Exception e)
    {
        while (e.InnerException is not null &&
               e is AggregateException or System.Reflection.TargetInvocationException or TypeInitializationException)
            e = e is AggregateException a ? a.InnerExceptions[0] : e.InnerException;
        return e;
    }

    /// <summary>ENOSPC (28), EDQUOT (122) or EFBIG (27, a file-size limit): .NET's IOException carries errno in the low bits of its HResult.</summary>
    public static bool IsDiskFull(IOException e) =>
        (e.HResult & 0xFFFF) is 27 or 28 or 122 ||
        e.Message.Contains("No space left", StringComparison.Ordinal) || e.Message.Contains("File too large", StringComparison.Ordinal);
}
