using MemScan.Scanner.Results;
using MemScan.Scanner.Tests.Results;
using Xunit;

namespace MemScan.Scanner.Tests.Reliability;

/// <summary>
/// The real <c>memscan scan</c> writing its run folder to a disk that fills up part way (a 16 KiB
/// tmpfs, or a 16 KiB file-size limit where no tmpfs can be mounted): one line and exit code 2,
/// the disk's error and not a later one, a run.json that reads, and after space is freed a
/// <c>--resume</c> that ends with the tables of a scan that never ran out of space.
/// </summary>
public sealed class FullDiskTests : IDisposable
{
    readonly TempFolder _dir = new();
    public void Dispose() => _dir.Dispose();

    string[] ScanArgs(TinyScanModel model, string runs, string runId, params string[] extra) =>
    [
        "scan", model.ModelPath, "--runs", runs, "--run-id", runId, "--probes", "exposure,extraction,discoverable,mia",
        "--threads", "1", "--prefix-lengths", "4,8", "--suffix-tokens", "8", "--folds", "3", "--bootstrap", "200", "--samples", "200",
        .. extra,
    ];

    [Fact]
    public async Task A_scan_that_fills_the_disk_fails_in_one_line_and_resumes_once_space_is_freed()
    {
        var model = TinyScanModel.Write(_dir.File("model"));
        var clean = MemscanProcess.Run(ScanArgs(model, _dir.File("runs"), "clean"));
        Assert.True(clean.Code == 0, clean.Stderr);

        using var disk = SmallDisk.Create(_dir.File("small"), kib: 16);
        var full = disk.Memscan(ScanArgs(model, disk.Path, "full"));
        string[] lines = full.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Console.WriteLine($"full disk ({(disk.Mounted ? "tmpfs" : "file-size limit")} of {disk.LimitKiB} KiB): {lines[^1]}");
        Assert.Equal(2, full.Code);
        Assert.Matches(disk.Mounted ? "No space left on device" : "File too large", lines[^1]);
        Assert.StartsWith("memscan: error: ", lines[^1]);
        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal)); // no stack trace
        Assert.DoesNotContain("Unhandled exception", full.Stderr);

        // run.json reads: failed with the disk's reason when it could still be written, else running
        string runFolder = Path.Combine(disk.Path, "full");
        RunInfo failed = RunInfo.Read(Path.Combine(runFolder, RunFolder.InfoFileName));
        Assert.Contains(failed.Status, new[] { RunStatus.Failed, RunStatus.Running });
        if (failed.Status == RunStatus.Failed) Assert.Contains(disk.Mounted ? "No space left" : "File too large", failed.Error);
        Assert.True(failed.CompletedProbes.Count < 4, "the scan should have run out of space before its end");

        disk.Grow();
        var resumed = MemscanProcess.Run(ScanArgs(model, disk.Path, "full", "--resume"));
        Assert.True(resumed.Code == 0, resumed.Stderr);
        Assert.Equal(RunStatus.Complete, RunInfo.Read(Path.Combine(runFolder, RunFolder.InfoFileName)).Status);
        await RunFiles.AssertSameTables(_dir.File("runs/clean"), runFolder);
    }
}
