using System.Diagnostics;
using Xunit;

namespace MemScan.Trainer.Tests.Reliability;

/// <summary>
/// The real <c>memscan-train gpt</c> (a few steps on Moby-Dick, exported to ONNX with its manifest)
/// run with <c>HOME</c> and <c>TMPDIR</c> pointed at empty folders: nothing may appear in either.
/// Scanner.Tests and Tui.Tests hold the same test for <c>memscan</c> and <c>memscan-tui</c>.
/// </summary>
public sealed class NothingLeavesTheMachineTests
{
    [Fact]
    public void Memscan_train_writes_nothing_outside_its_output_folder()
    {
        string root = TinyModels.TempDir("nothing-leaves-train");
        string home = Path.Combine(root, "home"), temp = Path.Combine(root, "tmp"), output = Path.Combine(root, "out");
        Directory.CreateDirectory(home);
        Directory.CreateDirectory(temp);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "memscan-train.dll"), "gpt", "--corpus", "moby-dick", "--max-chars", "5000",
                     "--steps", "4", "--batch", "2", "--seq-len", "8", "--context", "16", "--dim", "8", "--layers", "1", "--heads", "2",
                     "--threads", "1", "--seed", "5", "--out", output,
                 })
            start.ArgumentList.Add(a);
        start.Environment["HOME"] = home;
        start.Environment["TMPDIR"] = temp;
        start.Environment.Remove("ORT_DISABLE_TELEMETRY"); // the executable must set it itself
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, stderr.GetAwaiter().GetResult());
        Assert.True(File.Exists(Path.Combine(output, "model.onnx")), "the run should have exported its model");
        var left = Directory.EnumerateFileSystemEntries(home, "*", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFileSystemEntries(temp, "*", SearchOption.AllDirectories)).ToList();
        Assert.True(left.Count == 0, $"memscan-train wrote outside its output folder: {string.Join(", ", left)}");
    }
}
