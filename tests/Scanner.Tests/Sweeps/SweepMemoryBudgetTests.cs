using System.Diagnostics;
using MemScan.Scanner.Models;
using MemScan.Scanner.Scanning;
using MemScan.Scanner.Sweeps;
using Xunit;

namespace MemScan.Scanner.Tests.Sweeps;

/// <summary>
/// <c>memscan sweep --memory-budget SIZE</c> bounds the sweep's model runs as it bounds the scan's:
/// in process and in the isolated host each run's counted bytes stay within a quarter of it, and
/// the samples are those of an unbounded sweep; a budget it cannot read is one clear line, exit 2.
/// </summary>
public sealed class SweepMemoryBudgetTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_small_budget_keeps_every_run_within_its_share_with_the_same_samples(bool isolate)
    {
        using var tiny = new TinySweep(lstm: true);
        // One row of the longest run (scoring a whole sample, 1 + 16 tokens, fed at once) fits a run's share; three do not.
        long perRun;
        using (var probe = OnnxLanguageModel.Open(tiny.ModelPath))
            perRun = probe.RunBytesPerRow(0, 18) * 3 / 2;
        var unbounded = await SweepRun.RunAsync(tiny.Plan("unbounded") with { Isolate = isolate }, cancellationToken: Ct);
        var bounded = await SweepRun.RunAsync(tiny.Plan("bounded") with { Isolate = isolate, MemoryBudget = 4 * perRun }, cancellationToken: Ct);
        Assert.Equal(perRun, RunBudgets.PerRun(4 * perRun));
        Assert.InRange(bounded.LargestRunBytes, 1, perRun);
        Assert.True(unbounded.LargestRunBytes > perRun, $"unbounded runs took {unbounded.LargestRunBytes} bytes, within {perRun}: the test would not see the bound");
        Assert.Equal(TinySweep.Content(await tiny.ReadAsync("unbounded")), TinySweep.Content(await tiny.ReadAsync("bounded")));
    }

    [Theory]
    [InlineData("lots", "--memory-budget: cannot read 'lots' as a size")]
    [InlineData("8M", "--memory-budget: 8M is below the smallest budget, 16 MiB")]
    public void An_unreadable_or_too_small_budget_is_one_clear_line_and_exit_2(string budget, string message)
    {
        using var tiny = new TinySweep();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "memscan.dll"), "sweep", tiny.ModelPath, "--sweeps", tiny.SweepsRoot, "--memory-budget", budget })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(2, process.ExitCode);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, stderr);
        Assert.Contains(message, lines[0]);
        Assert.False(Directory.Exists(tiny.SweepsRoot) && Directory.EnumerateFileSystemEntries(tiny.SweepsRoot).Any(), "nothing written");
    }
}
