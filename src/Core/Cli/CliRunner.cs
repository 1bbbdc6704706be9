using System.CommandLine;

namespace MemScan.Scanner.Cli;

/// <summary>
/// Shared entry point of the three executables. Every failure ends in one line on stderr and exit
/// code 2: a parse error, a <see cref="MemScanException"/> (a problem the user can fix), and any
/// other exception too (a full disk, an I/O error, out of memory, a bug), named by its type so a
/// report says what happened. The stack trace is printed only with <c>--debug</c>.
/// </summary>
public static class CliRunner
{
    public const int UserError = 2;

    public static int Run(RootCommand root, string[] args, string tool)
    {
        // before anything can start ONNX Runtime: nothing about a scanned model leaves the machine
        Onnx.OrtTelemetry.DisableBeforeFirstUse();
        var debug = new Option<bool>("--debug") { Description = "on an error, print the stack trace too", Recursive = true };
        root.Options.Add(debug);
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            Console.Error.WriteLine($"{tool}: {MemScanException.OneLine(parsed.Errors[0].Message)} (see '{tool} --help')");
            return UserError;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (ErrorLine.Unwrap(e) is OperationCanceledException)
        {
            Console.Error.WriteLine($"{tool}: cancelled");
            return 130;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"{tool}: error: {ErrorLine.Of(e)}");
            if (parsed.GetValue(debug)) Console.Error.WriteLine(e.ToString());
            return UserError;
        }
    }
}
