namespace MemScan.Scanner;

/// <summary>
/// A problem the user can fix (bad file, bad option, hostile model). The CLIs print its message as
/// one line and exit with code 2; anything else is a bug and keeps its stack trace.
/// </summary>
public sealed class MemScanException : Exception
{
    public MemScanException(string message) : base(message) { }
    public MemScanException(string message, Exception inner) : base(message, inner) { }
}
