using MemScan.Scanner.Isolation;
using MemScan.Scanner.Models;
using MemScan.Scanner.Tests.Models;
using MemScan.Scanner.Tests.Onnx;
using Xunit;

namespace MemScan.Scanner.Tests.Isolation;

/// <summary>
/// The shared answer region (experiment: measured no faster than the pipe, docs/PERFORMANCE.md):
/// answers come through it, the untrusted host cannot shrink it under the scanner (a SIGBUS on the
/// scanner's next read), and it has no name anywhere, so nothing is left behind. Linux only.
/// </summary>
public sealed class SharedAnswerRegionTests : IDisposable
{
    readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Answers_come_through_the_region_and_match_the_in_process_model()
    {
        if (!OperatingSystem.IsLinux()) return;
        string path = BigramOnnxModel.Write(_dir.File("bigram.onnx"), vocab: 9);
        using var inProcess = OnnxLanguageModel.Open(path);
        using var isolated = IsolatedLanguageModel.Open(path);
        var a = inProcess.Advance([inProcess.Initial], [[1, 2]], out var lpA)[0];
        var b = isolated.Advance([isolated.Initial], [[1, 2]], out var lpB)[0];
        Assert.True(isolated.AnswerRegionBytes > 0);
        Assert.Equal(a.NextLogProbs, b.NextLogProbs);
        Assert.Equal(lpA[0][1..], lpB[0][1..]);
    }

    [Fact]
    public void Nobody_can_shrink_the_region_and_it_has_no_name()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var region = AnswerRegion.TryCreate(1 << 20);
        Assert.NotNull(region);
        using (var asTheHost = new FileStream(region.PathForHost, FileMode.Open, FileAccess.ReadWrite))
            Assert.Throws<UnauthorizedAccessException>(() => asTheHost.SetLength(4096)); // EPERM: F_SEAL_SHRINK
        Assert.StartsWith("/memfd:memscan-answers", File.ResolveLinkTarget(region.PathForHost, false)!.FullName);
        var copy = new float[16];
        region.Read(0, copy);
        Assert.All(copy, v => Assert.Equal(0f, v));
    }
}
