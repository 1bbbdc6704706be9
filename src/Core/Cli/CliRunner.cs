using System.CommandLine;

namespace MemScan.Scanner.Cli;

/// <summary>
/// Shared entry point of the three executables: a parse error or a <see cref="MemScanException"/>
/// becomes one line on stderr and exit code 2; only bugs keep their stack trace.
/// </summary>
public static class CliRunner
{
    public const int UserError = 2;

    public static int Run(RootCommand root, string[] args, string tool)
    {
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            Console.Error.WriteLine($"{tool}: {parsed.Errors[0].Message} (see '{tool} --help')");
            return UserError;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (Unwrap(e) is MemScanException user)
        {
            Console.Error.WriteLine($"{tool}: error: {user.Message}");
            return UserError;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"{tool}: cancelled");
            return 130;
        }
    }

    static Exception Unwrap(Exception e)
    {
        while (e is AggregateException { InnerExceptions.Count: 1 } or System.Reflection.TargetInvocationException && e.InnerException is not null)
            e = e.InnerException!;
        return e;
    }
}
