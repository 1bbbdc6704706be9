using System.Diagnostics;
using Xunit;

namespace MemScan.Tui.Tests.Reliability;

/// <summary>
/// The real <c>memscan-tui</c>, writing its demo runs (the one thing it does without a terminal),
/// with <c>HOME</c> and <c>TMPDIR</c> pointed at empty folders: nothing may appear in either.
/// Scanner.Tests and Trainer.Tests hold the same test for <c>memscan</c> and <c>memscan-train</c>.
/// </summary>
public sealed class NothingLeavesTheMachineTests
{
    [Fact]
    public void Memscan_tui_writes_nothing_outside_its_output_folder()
    {
        using var root = new TempRunsFolder();
        string home = root.Combine("home"), temp = root.Combine("tmp"), demo = root.Combine("demo");
        Directory.CreateDirectory(home);
        Directory.CreateDirectory(temp);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "memscan-tui.dll"), "--demo-data", demo })
            start.ArgumentList.Add(a);
        start.Environment["HOME"] = home;
        start.Environment["TMPDIR"] = temp;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, stderr.GetAwaiter().GetResult());
        Assert.NotEmpty(Directory.EnumerateDirectories(demo));
        var left = Directory.EnumerateFileSystemEntries(home, "*", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFileSystemEntries(temp, "*", SearchOption.AllDirectories)).ToList();
        Assert.True(left.Count == 0, $"memscan-tui wrote outside its output folder: {string.Join(", ", left)}");
    }
}
