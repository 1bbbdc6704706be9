using System.CommandLine;
using MemScan.Scanner.Cli;
using Xunit;

namespace MemScan.Scanner.Tests.Cli;

[CollectionDefinition(nameof(ConsoleErrorCollection), DisableParallelization = true)]
public sealed class ConsoleErrorCollection;

/// <summary>
/// Every exception a command can end in, expected or not, is one line on stderr and exit code 2
/// through the entry point all three executables share; the stack trace only with <c>--debug</c>.
/// (These replace stderr, so they run alone.)
/// </summary>
[Collection(nameof(ConsoleErrorCollection))]
public sealed class CliRunnerTests
{
    static (int Code, string[] Lines) Run(Exception thrown, params string[] extra)
    {
        var root = new RootCommand("test");
        var fail = new Command("fail");
        fail.SetAction(new Func<ParseResult, int>(_ => throw thrown));
        root.Subcommands.Add(fail);
        var captured = new StringWriter();
        var original = Console.Error;
        Console.SetError(captured);
        try
        {
            int code = CliRunner.Run(root, ["fail", .. extra], "memscan");
            return (code, captured.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            Console.SetError(original);
        }
    }

    public static TheoryData<string, Exception, string> Failures() => new()
    {
        { "MemScanException", new MemScanException("manifest m.json is not valid JSON"), "memscan: error: manifest m.json is not valid JSON" },
        { "full disk", new IOException("No space left on device : '/runs/r/.findings.parquet.1a2b.tmp'", 28),
            "memscan: error: No space left on device : '/runs/r/.findings.parquet.1a2b.tmp' (the disk is full: free space and rerun; --resume continues a run)" },
        { "read-only disk", new IOException("Read-only file system : '/runs/r'", 30), "memscan: error: IOException: Read-only file system : '/runs/r'" },
        { "permission", new UnauthorizedAccessException("Access to the path '/runs' is denied."), "memscan: error: UnauthorizedAccessException: Access to the path '/runs' is denied." },
        { "out of memory", new OutOfMemoryException("Array dimensions exceeded supported range."),
            "memscan: error: out of memory (Array dimensions exceeded supported range.); try a smaller --batch or fewer samples" },
        { "tasks", new AggregateException(new MemScanException("shard 1/2 failed"), new IOException("disk")), "memscan: error: shard 1/2 failed (and 1 more error(s))" },
        { "a bug", new InvalidOperationException("Sequence contains no elements\nsecond line"),
            "memscan: error: InvalidOperationException: Sequence contains no elements\\nsecond line (an unexpected error; rerun with --debug for the stack trace and report it)" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Any_exception_is_one_line_and_exit_code_2(string name, Exception thrown, string expected)
    {
        var (code, lines) = Run(thrown);
        Assert.True(code == 2, name);
        Assert.Equal(expected, Assert.Single(lines));
    }

    [Fact]
    public void Debug_adds_the_stack_trace()
    {
        var (code, lines) = Run(new InvalidOperationException("boom"), "--debug");
        Assert.Equal(2, code);
        Assert.StartsWith("memscan: error: InvalidOperationException: boom", lines[0]);
        Assert.Contains(lines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    [Fact]
    public void Cancellation_is_exit_code_130()
    {
        var (code, lines) = Run(new AggregateException(new OperationCanceledException()));
        Assert.Equal(130, code);
        Assert.Equal("memscan: cancelled", Assert.Single(lines));
    }
}
