using MemScan.Scanner.Probes.Discoverable;
using MemScan.Scanner.Results;
using MemScan.Scanner.Scanning;
using MemScan.Scanner.Tests.Models;
using MemScan.Scanner.Tests.Reliability;
using MemScan.Scanner.Tests.Results;
using Xunit;

namespace MemScan.Scanner.Tests.Scanning;

/// <summary>
/// <c>--resume</c> continues only a run it can continue honestly: not a complete one, not one of
/// another model or other settings, not one another process is writing. (The kill-and-resume of
/// the real executable is in Reliability/KilledScanTests.)
/// </summary>
public sealed class ScanResumeTests : IDisposable
{
    readonly TempFolder _dir = new();
    public void Dispose() => _dir.Dispose();

    // The discoverable probe alone takes milliseconds on the tiny model, in this process.
    LmScanPlan Plan(TinyScanModel model, bool resume = false) => new()
    {
        ModelPath = model.ModelPath,
        RunsRoot = _dir.File("runs"),
        RunId = "r",
        Probes = [DiscoverableProbe.Name],
        Discoverable = new DiscoverableSettings { PrefixLengths = [4, 8], SuffixTokens = 8 },
        Isolate = false,
        Resume = resume,
    };

    RunFolder Interrupted(TinyScanModel model)
    {
        LmScan.Run(Plan(model));
        var run = RunFolder.Open(_dir.File("runs/r"));
        run.MarkFailed(DateTime.UtcNow, "killed in a test");
        return run;
    }

    static string Refusal(LmScanPlan plan) => Assert.Throws<MemScanException>(() => LmScan.Run(plan)).Message;

    [Fact]
    public void A_failed_run_resumes_without_running_its_completed_probes_again()
    {
        var model = TinyScanModel.Write(_dir.File("m"));
        var run = Interrupted(model);
        var before = FindingsTable.ReadAsync(run.FindingsPath).GetAwaiter().GetResult();
        string stale = Path.Combine(run.Path, ".discoverable.parquet.0badf00d.tmp");
        File.WriteAllText(stale, "half a file from a killed writer");
        var lines = new List<string>();

        var result = LmScan.Run(Plan(model, resume: true), lines.Add);

        Assert.Contains("resuming run r: discoverable already complete, read back from the run folder", lines);
        Assert.Equal(0, result.Queries);
        Assert.Equal(before, result.Findings.OrderByDescending(f => f.Severity).ThenBy(f => f.Subject, StringComparer.Ordinal));
        Assert.Equal([4, 8], result.Discoverable.Select(d => d.PrefixTokens));
        var info = run.ReadInfo();
        Assert.Equal(RunStatus.Complete, info.Status);
        Assert.Null(info.Error);
        Assert.Equal(["discoverable"], info.CompletedProbes);
        Assert.False(File.Exists(stale));
    }

    [Fact]
    public void A_complete_run_is_not_resumed()
    {
        var model = TinyScanModel.Write(_dir.File("m"));
        LmScan.Run(Plan(model));
        Assert.Contains("run r is complete: nothing to resume", Refusal(Plan(model, resume: true)));
    }

    [Fact]
    public void A_run_of_another_model_is_not_resumed_and_the_message_names_both_hashes()
    {
        var model = TinyScanModel.Write(_dir.File("m"));
        var run = Interrupted(model);
        string old = run.ReadInfo().ModelSha256;
        BigramOnnxModel.Write(model.ModelPath, TinyScanModel.Symbols.Length, seed: 99);

        string message = Refusal(Plan(model, resume: true));

        Assert.Contains("cannot resume run r: the model differs: run.json has SHA-256 " + old[..12], message);
        Assert.Contains(RunInfo.ComputeSha256(model.ModelPath)[..12], message);
    }

    [Fact]
    public void A_run_with_other_probe_settings_is_not_resumed_and_the_message_names_the_setting()
    {
        var model = TinyScanModel.Write(_dir.File("m"));
        Interrupted(model);
        var plan = Plan(model, resume: true);

        Assert.Equal("cannot resume run r: the discoverable setting 'suffix_tokens' differs: the run has 8, this scan 6",
            Refusal(plan with { Discoverable = plan.Discoverable with { SuffixTokens = 6 } }));
        Assert.Equal("cannot resume run r: the probes differ: the run has discoverable, this scan discoverable,extraction",
            Refusal(plan with { Probes = [DiscoverableProbe.Name, "extraction"] }));
    }

    [Fact]
    public void A_run_whose_samples_or_manifest_were_edited_since_is_not_resumed()
    {
        var model = TinyScanModel.Write(_dir.File("m"));
        Interrupted(model);
        Assert.True(RunFolder.Open(_dir.File("runs/r")).ReadInfo().Inputs.ContainsKey("manifest_members"));
        string members = _dir.File("m/samples/members.txt");
        string original = File.ReadAllText(members);
        File.AppendAllText(members, "a line added after the kill\n");

        Assert.StartsWith("cannot resume run r: the manifest_members file differs: the run read SHA-256 ", Refusal(Plan(model, resume: true)));

        File.WriteAllText(members, original);
        string manifest = MemScan.Scanner.Manifest.ModelManifest.PathFor(model.ModelPath);
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("my pin is", "my PIN is"));
        Assert.StartsWith("cannot resume run r: the manifest file differs", Refusal(Plan(model, resume: true)));
    }

    [Fact]
    public void A_run_another_process_is_writing_is_not_resumed()
    {
        var model = TinyScanModel.Write(_dir.File("m"));
        var run = Interrupted(model);
        using (RunLock.Acquire(run.Path))
            Assert.Contains($"run folder {run.Path} is being written by another process", Refusal(Plan(model, resume: true)));
        LmScan.Run(Plan(model, resume: true));
    }

    [Fact]
    public void Resume_needs_a_run_id_and_an_existing_run()
    {
        var model = TinyScanModel.Write(_dir.File("m"));
        Assert.Equal("--resume needs --run-id: the id of the run to continue", Refusal(Plan(model, resume: true) with { RunId = null }));
        Assert.Contains("does not exist: nothing to resume (drop --resume to start run r)", Refusal(Plan(model, resume: true)));
    }
}
