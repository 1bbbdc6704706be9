using MemScan.Scanner.Tests.Results;
using Xunit;

namespace MemScan.Scanner.Tests.Reliability;

/// <summary>
/// With --redact, no secret of the manifest reaches the real memscan's stdout or stderr (report
/// tables, progress log lines, notes); without it the same scan prints them, so the check bites.
/// <c>memscan report</c> never prints them.
/// </summary>
public sealed class RedactionTests : IDisposable
{
    readonly TempFolder _dir = new();
    public void Dispose() => _dir.Dispose();

    string[] Scan(TinyScanModel model, string runId, params string[] extra) =>
    [
        "scan", model.ModelPath, "--runs", _dir.File("runs"), "--run-id", runId, "--probes", "exposure,extraction,discoverable,mia",
        "--threads", "1", "--prefix-lengths", "4,8", "--suffix-tokens", "8", "--folds", "3", "--bootstrap", "200", "--samples", "200", .. extra,
    ];

    [Fact]
    public void No_manifest_secret_reaches_the_console_with_redact_and_report_never_prints_one()
    {
        var model = TinyScanModel.Write(_dir.File("model"));

        var clear = MemscanProcess.Run(Scan(model, "clear"));
        var redacted = MemscanProcess.Run(Scan(model, "redacted", "--redact"));
        var report = MemscanProcess.Run(["report", _dir.File("runs/clear")]);

        Assert.True(clear.Code == 0 && redacted.Code == 0 && report.Code == 0, clear.Stderr + redacted.Stderr + report.Stderr);
        Assert.Contains(model.Secrets, s => clear.Stdout.Contains(s));
        foreach (string secret in model.Secrets)
        {
            Assert.DoesNotContain(secret, redacted.Stdout);
            Assert.DoesNotContain(secret, redacted.Stderr);
            Assert.DoesNotContain(secret, report.Stdout + report.Stderr);
        }
        Assert.Contains(Scanner.Cli.Redaction.Mask(model.Secrets[0]), redacted.Stdout);
    }

    [Fact]
    public void A_secret_outside_its_space_is_refused_without_printing_it()
    {
        var e = Assert.Throws<MemScanException>(() =>
            MemScan.Scanner.Canaries.Canary.Create("pin", "my PIN is {secret}", "48291x", MemScan.Scanner.Canaries.RandomnessSpace.Parse("digits:6"), 1));
        Assert.Equal("canary 'pin': its secret (6 characters) is not in the randomness space digits:6", e.Message);
    }
}
