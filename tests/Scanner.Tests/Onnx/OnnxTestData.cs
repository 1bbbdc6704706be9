using System.Diagnostics;

namespace MemScan.Scanner.Tests.Onnx;

/// <summary>
/// ONNX's own operator fixtures (Debian libonnx-testdata) in corpora/data/onnx-testdata, fetched
/// once by fetch-onnx-fixtures.sh when missing. <see cref="Root"/> is null, and
/// <see cref="Why"/> says why, when they cannot be had (no apt, no network).
/// </summary>
public sealed class OnnxTestData
{
    public OnnxTestData()
    {
        var repo = FindRepoRoot();
        if (repo is null) { Why = $"no MemScan.sln above {AppContext.BaseDirectory}"; return; }
        var dir = Path.Combine(repo, "corpora", "data", "onnx-testdata");
        if (!Directory.Exists(Path.Combine(dir, "node")))
        {
            var script = Path.Combine(repo, "tests", "Scanner.Tests", "Onnx", "fetch-onnx-fixtures.sh");
            try
            {
                var psi = new ProcessStartInfo("bash", [script]) { RedirectStandardOutput = true, RedirectStandardError = true };
                using var p = Process.Start(psi)!;
                var stderr = p.StandardError.ReadToEndAsync();
                p.StandardOutput.ReadToEnd();
                if (!p.WaitForExit(TimeSpan.FromMinutes(5))) { p.Kill(entireProcessTree: true); Why = "fetch-onnx-fixtures.sh timed out"; return; }
                if (p.ExitCode != 0) { Why = $"fetch-onnx-fixtures.sh exited {p.ExitCode}: {stderr.Result.Trim()}"; return; }
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                Why = $"cannot run bash for fetch-onnx-fixtures.sh: {e.Message}";
                return;
            }
        }
        if (Directory.Exists(Path.Combine(dir, "node"))) Root = dir;
        else Why = $"{dir} is still missing after fetch-onnx-fixtures.sh";
    }

    public string? Root { get; }
    public string? Why { get; }

    /// <summary>The root, or a skipped test saying why the fixtures are unavailable.</summary>
    public string Require() => Root ?? throw Xunit.Sdk.SkipException.ForSkip(
        $"ONNX test fixtures unavailable ({Why}); run tests/Scanner.Tests/Onnx/fetch-onnx-fixtures.sh (needs apt-get and the Debian mirror)");

    private static string? FindRepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "MemScan.sln"))) return d.FullName;
        return null;
    }
}
