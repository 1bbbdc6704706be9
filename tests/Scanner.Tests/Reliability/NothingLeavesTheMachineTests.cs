using System.Diagnostics;
using MemScan.Scanner.Tests.Results;
using MemScan.Scanner.Tests.Vision;
using Xunit;

namespace MemScan.Scanner.Tests.Reliability;

/// <summary>
/// The real <c>memscan</c> (scan in the model host and in-process, vision, sweep) run with
/// <c>HOME</c> and <c>TMPDIR</c> pointed at empty folders: nothing may appear in either. ONNX Runtime
/// 1.29+ writes telemetry to <c>~/.cache/Microsoft/DeveloperTools/.onnxruntime/</c> and a session file
/// to the temp folder unless it is turned off before it starts; with it on, the first case fails.
/// Where strace can trace, the same commands are checked to attempt no network connection.
/// (memscan-train and memscan-tui: Trainer.Tests and Tui.Tests have the same test.)
/// </summary>
public sealed class NothingLeavesTheMachineTests : IDisposable
{
    readonly TempFolder _dir = new();
    public void Dispose() => _dir.Dispose();

    IEnumerable<(string Name, string[] Args)> Commands()
    {
        var lm = TinyScanModel.Write(_dir.File("lm"));
        var classifier = TinyClassifier.Write(_dir.File("classifier"));
        string[] scan = ["scan", lm.ModelPath, "--probes", "exposure,discoverable", "--threads", "1", "--samples", "100", "--prefix-lengths", "4", "--suffix-tokens", "4"];
        string[] sweep = ["sweep", lm.ModelPath, "--samples", "8", "--tokens", "8", "--batch", "4", "--threads", "1", "--window", "4"];
        yield return ("scan (model host)", [.. scan, "--runs", _dir.File("runs")]);
        yield return ("scan --in-process", [.. scan, "--in-process", "--runs", _dir.File("runs")]);
        yield return ("vision", ["vision", classifier.ModelPath, "--images", classifier.ExamplesPath, "--max-images", "16", "--csr-examples", "16",
            "--csr-steps", "2", "--threads", "1", "--runs", _dir.File("runs")]);
        yield return ("sweep (model host)", [.. sweep, "--sweeps", _dir.File("sweeps"), "--sweep-id", "hosted"]);
        yield return ("sweep --in-process", [.. sweep, "--in-process", "--sweeps", _dir.File("sweeps"), "--sweep-id", "inproc"]);
    }

    [Fact]
    public void Memscan_writes_nothing_outside_its_output_folders()
    {
        foreach (var (name, args) in Commands())
        {
            string home = _dir.File($"home-{Guid.NewGuid():N}"), temp = _dir.File($"tmp-{Guid.NewGuid():N}");
            Directory.CreateDirectory(home);
            Directory.CreateDirectory(temp);
            var start = MemscanProcess.StartInfo(args);
            start.Environment["HOME"] = home;
            start.Environment["TMPDIR"] = temp;
            start.Environment.Remove(MemScan.Scanner.Onnx.OrtTelemetry.Variable); // memscan must set it itself
            var result = MemscanProcess.Run(start);
            Assert.True(result.Code == 0, $"{name}: exit {result.Code}: {result.Stderr}");
            var left = Directory.EnumerateFileSystemEntries(home, "*", SearchOption.AllDirectories)
                .Concat(Directory.EnumerateFileSystemEntries(temp, "*", SearchOption.AllDirectories)).ToList();
            Assert.True(left.Count == 0, $"{name} wrote outside its output folders: {string.Join(", ", left)}");
        }
    }

    [Fact]
    public void Memscan_attempts_no_network_connection()
    {
        if (!CanTrace()) Assert.Skip("strace is not installed or may not trace here");
        // the ONNX Runtime in the scanner and in the model host; the others run the same code
        foreach (var (name, args) in Commands().Where(c => c.Name.StartsWith("scan", StringComparison.Ordinal)))
        {
            string log = _dir.File($"strace-{Guid.NewGuid():N}.log");
            var start = new ProcessStartInfo("strace") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in new[] { "-f", "-qq", "-e", "trace=connect,sendto,sendmsg", "-o", log, "dotnet", MemscanProcess.Dll }.Concat(args))
                start.ArgumentList.Add(a);
            start.Environment.Remove(MemScan.Scanner.Onnx.OrtTelemetry.Variable);
            var result = MemscanProcess.Run(start);
            Assert.True(result.Code == 0, $"{name}: exit {result.Code}: {result.Stderr}");
            var network = File.ReadLines(log).Where(l => l.Contains("AF_INET", StringComparison.Ordinal)).ToList();
            Assert.True(network.Count == 0, $"{name} tried the network: {string.Join(" | ", network.Take(3))}");
        }
    }

    static bool CanTrace()
    {
        try
        {
            var start = new ProcessStartInfo("strace", ["-qq", "-e", "trace=none", "true"]) { RedirectStandardError = true, RedirectStandardOutput = true };
            return MemscanProcess.Run(start).Code == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
