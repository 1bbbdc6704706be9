using MemScan.Scanner.Probes.Discoverable;
using MemScan.Scanner.Scanning;
using MemScan.Scanner.Tests;
using MemScan.Scanner.Tests.Reliability;
using MemScan.Trainer.Tests.Training;
using Xunit;

namespace MemScan.Trainer.Tests.EndToEnd;

/// <summary>
/// The demo's discoverable-memorization table and its sweep (README "On the demo model"), from the
/// model this class already trained: the scan's rates at their printed values, and the real
/// <c>memscan sweep</c> + <c>sweep merge</c>, run as the README shows them, printing what it prints.
/// </summary>
public partial class DemoModelClaimsTests
{
    [Fact]
    public void The_demo_scan_finds_the_discoverable_memorization_the_readme_prints()
    {
        string dir = TinyModels.TempDir("demo-discoverable");
        var result = LmScan.Run(new LmScanPlan
        {
            ModelPath = demo.Trained.ModelPath,
            RunsRoot = Path.Combine(dir, "runs"),
            Probes = [DiscoverableProbe.Name],
            Isolate = false,
        });
        var rates = result.Discoverable.Select(r => FormattableString.Invariant(
            $"{r.PrefixTokens} {r.Samples} {r.Exact} {100 * r.Rate:F1} % {r.MeanMatched:F1}")).ToList();
        foreach (var r in rates) output.WriteLine(r);
        // README, the demo's "Discoverable memorization" table (and "14% of sampled training lines")
        Assert.Equal(["8 256 36 14.1 % 6.4", "16 256 22 8.6 % 5.4", "32 231 8 3.5 % 5.0"], rates);
    }

    [Fact]
    public void The_demo_sweep_and_its_merge_print_what_the_readme_shows()
    {
        // The README's commands, from a folder laid out as the repository's: models/demo, sweeps/.
        string root = TinyModels.TempDir("demo-sweep");
        Directory.CreateDirectory(Path.Combine(root, "models"));
        Directory.CreateSymbolicLink(Path.Combine(root, "models", "demo"), Path.GetDirectoryName(demo.Trained.ModelPath)!);
        var sweep = Memscan(root, "sweep", "models/demo/model.onnx", "--samples", "512", "--tokens", "256", "--temperature-start", "10", "--sweep-id", "demo");
        Assert.True(sweep.Code == 0, sweep.Stderr);
        Assert.Contains("sweep demo shard 0/1: 512 samples written in 2 part(s), 0 already committed, 512/512 done", sweep.Stdout);

        var merge = Memscan(root, "sweep", "merge", "sweeps/demo", "--rows", "8");
        Assert.True(merge.Code == 0, merge.Stderr);
        output.WriteLine(merge.Stdout);
        // the printed output of the merge: 125 confirmed extractions, the first 8 rows, the precision
        // table; up to the results line, which names this test's folder (and wraps with its length)
        static string[] UpToResults(IEnumerable<string> lines) => lines.TakeWhile(l => !l.StartsWith("results: ")).ToArray();
        Assert.Equal(UpToResults(ReadmeOutputOf("$ cli/memscan sweep merge sweeps/demo --rows 8")), UpToResults(merge.Stdout.Split('\n')));
        Assert.Contains("findings.parquet (125 findings)", merge.Stdout.Replace("\n", ""));
    }

    /// <summary>Runs memscan in <paramref name="folder"/> at the README's 80 columns.</summary>
    static (int Code, string Stdout, string Stderr) Memscan(string folder, params string[] args)
    {
        var start = MemscanProcess.StartInfo(args);
        start.WorkingDirectory = folder;
        start.Environment["COLUMNS"] = "80";
        return MemscanProcess.Run(start);
    }

    /// <summary>The lines a README code block shows after <paramref name="command"/>, up to the next command or the block's end.</summary>
    static string[] ReadmeOutputOf(string command) =>
        RepoDocs.Read("README.md").Split('\n').SkipWhile(l => l != command).Skip(1)
            .TakeWhile(l => !l.StartsWith("$ ") && !l.StartsWith("```")).ToArray();
}
