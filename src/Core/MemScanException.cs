using System.Text;

namespace MemScan.Scanner;

/// <summary>
/// A problem the user can fix (bad file, bad option, hostile model). The CLIs print its message as
/// one line and exit with code 2; anything else is a bug and keeps its stack trace.
/// </summary>
public sealed class MemScanException : Exception
{
    public MemScanException(string message) : base(OneLine(message)) { }
    public MemScanException(string message, Exception inner) : base(OneLine(message), inner) { }

    /// <summary>
    /// Messages quote user input (templates, file contents, hostile model strings): line breaks and
    /// other control characters are escaped so the message stays one line and cannot forge output.
    /// </summary>
    public static string OneLine(string message)
    {
        if (!message.Any(char.IsControl)) return message;
        var builder = new StringBuilder(message.Length + 8);
        foreach (char c in message)
        {
            builder.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return builder.ToString();
    }
}
