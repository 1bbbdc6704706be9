using MemScan.Scanner.Results;
using MemScan.Scanner.Scanning;
using MemScan.Scanner.Tests.Results;
using Xunit;

namespace MemScan.Scanner.Tests.Scanning;

/// <summary>
/// Marking a run failed happens while the first error is on its way up: it records the error's one
/// line when run.json can be written, and never throws over the first error when it cannot.
/// </summary>
public sealed class ScanRunFailTests : IDisposable
{
    readonly TempFolder _dir = new();
    public void Dispose() => _dir.Dispose();

    ScanRun Start(string id) => ScanRun.Start(_dir.File("runs"), new RunInfo
    {
        RunId = id, ToolVersion = "0", ModelPath = "m.onnx", ModelSha256 = "00", ModelKind = "language-model", StartedUtc = DateTime.UtcNow,
    }, resume: false, log: _ => { });

    [Fact]
    public void A_failed_run_records_the_errors_one_line()
    {
        using var scan = Start("r");
        scan.Fail(new IOException("No space left on device : '/runs/r/.exposure.parquet.1a2b.tmp'", 28));
        RunInfo info = scan.Folder.ReadInfo();
        Assert.Equal(RunStatus.Failed, info.Status);
        Assert.Equal("No space left on device : '/runs/r/.exposure.parquet.1a2b.tmp' (the disk is full: free space and rerun; --resume continues a run)", info.Error);
    }

    [Fact]
    public void When_run_json_cannot_be_written_marking_the_run_failed_does_not_throw_over_the_first_error()
    {
        using var scan = Start("gone");
        Directory.Delete(scan.Folder.Path, recursive: true); // nothing left to write into: every write fails
        var first = new IOException("No space left on device", 28);
        Action scanThatFails = () =>
        {
            try { throw first; }
            catch (Exception e) { scan.Fail(e); throw; }
        };
        var thrown = Assert.Throws<IOException>(scanThatFails);
        Assert.Same(first, thrown);
    }
}
