using System.Diagnostics;
using MemScan.Scanner.Isolation;
using MemScan.Scanner.Models;
using MemScan.Scanner.Tests.Models;
using MemScan.Scanner.Tests.Onnx;
using Xunit;

namespace MemScan.Scanner.Tests.Isolation;

public sealed class IsolatedLanguageModelTests : IDisposable
{
    readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    string Bigram() => BigramOnnxModel.Write(_dir.File("bigram.onnx"), vocab: 9);

    [Fact]
    public void An_isolated_model_answers_exactly_as_the_in_process_one()
    {
        string path = Bigram();
        using var inProcess = OnnxLanguageModel.Open(path);
        using var isolated = IsolatedLanguageModel.Open(path);
        int[][] rows = [[1, 2, 3], [4, 5, 6], [7, 8, 0]];
        var a = inProcess.Advance(Enumerable.Repeat(inProcess.Initial, 3).ToArray(), rows, out var lpA);
        var b = isolated.Advance(Enumerable.Repeat(isolated.Initial, 3).ToArray(), rows, out var lpB);
        for (int r = 0; r < 3; r++)
        {
            Assert.Equal(a[r].NextLogProbs, b[r].NextLogProbs);
            Assert.Equal(a[r].History, b[r].History);
            Assert.Equal(lpA[r][1..], lpB[r][1..]);
        }
        Assert.Contains("isolated", isolated.DeviceNote);
    }

    [Fact]
    public void A_model_host_killed_by_sigkill_is_one_clear_out_of_memory_error_and_the_scanner_survives()
    {
        using var isolated = IsolatedLanguageModel.Open(Bigram());
        Process.GetProcessById(isolated.ChildProcessId).Kill(); // SIGKILL, what the kernel's OOM killer sends
        var e = Assert.Throws<MemScanException>(() => isolated.Advance([isolated.Initial], [[1, 2]]));
        Assert.Contains("the model host for", e.Message);
        Assert.Contains("was killed while running", e.Message);
        Assert.Contains("signal 9: out of memory?", e.Message);
        Assert.Contains("lower --memory-budget or --batch", e.Message);
        Assert.DoesNotContain("hostile", e.Message);
    }

    [Fact]
    public void A_model_the_host_refuses_reports_the_hosts_reason()
    {
        string path = _dir.File("junk.onnx");
        File.WriteAllBytes(path, [1, 2, 3, 4, 5]);
        var e = Assert.Throws<MemScanException>(() => IsolatedLanguageModel.Open(path));
        Assert.Contains("is not a valid ONNX model", e.Message);
    }
}
