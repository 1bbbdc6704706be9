using MemScan.Scanner.Probes.Vision;
using MemScan.Scanner.Results;
using MemScan.Scanner.Tests.Reliability;
using MemScan.Scanner.Tests.Results;
using MemScan.Scanner.Vision;
using Xunit;

namespace MemScan.Scanner.Tests.Vision;

/// <summary>
/// <c>memscan vision --resume</c> follows the rules of <c>memscan scan --resume</c>: a run that
/// failed or was killed continues with the probes it had not completed, reading the others back,
/// and ends with the tables of an uninterrupted run; a complete run, another model, other settings
/// or a run another process writes are refused. (The kill of the real executable is in
/// Reliability/KilledVisionScanTests.)
/// </summary>
public sealed class VisionResumeTests : IDisposable
{
    static readonly string[] Probes = [MembershipProbe.Name, CanaryAuditProbe.Name, MemorizationProbe.Name, PredictionStatsProbe.Name];

    readonly TempFolder _dir = new();
    public void Dispose() => _dir.Dispose();

    VisionScanPlan Plan(TinyClassifier model, string runId, string images, bool resume = false) => new()
    {
        ModelPath = model.ModelPath,
        RunsRoot = _dir.File("runs"),
        RunId = runId,
        Resume = resume,
        Images = images,
        MaxImages = 64,
        Threads = 1,
        Membership = new MembershipSettings { Resamples = 50 },
        Memorization = new MemorizationSettings { Csr = new CsrSettings { Examples = 16 } },
    };

    /// <summary>A copy of the examples as the --images of the prediction statistics (the probe that runs last).</summary>
    string Images(TinyClassifier model, string name)
    {
        string path = _dir.File(name);
        File.Copy(model.ExamplesPath, path);
        return path;
    }

    static string Refusal(VisionScanPlan plan) => Assert.Throws<MemScanException>(() => VisionScan.Run(plan)).Message;

    /// <summary>A complete run "r" of the tiny family, marked failed as a crash would leave it.</summary>
    RunFolder Interrupted(TinyClassifier model, string images)
    {
        VisionScan.Run(Plan(model, "r", images));
        var run = RunFolder.Open(_dir.File("runs/r"));
        run.MarkFailed(DateTime.UtcNow, "killed in a test");
        return run;
    }

    [Fact]
    public async Task A_run_that_failed_at_its_last_probe_resumes_without_inference_to_the_tables_of_an_uninterrupted_run()
    {
        var model = TinyClassifier.Write(_dir.File("family"));
        var full = VisionScan.Run(Plan(model, "full", Images(model, "images.parquet")));

        // The images of the last probe are missing: the three probes before it complete, then the run fails.
        string later = _dir.File("later.parquet");
        var failure = Assert.Throws<MemScanException>(() => VisionScan.Run(Plan(model, "broken", later)));
        var run = RunFolder.Open(_dir.File("runs/broken"));
        var atFailure = run.ReadInfo();
        Assert.Equal(RunStatus.Failed, atFailure.Status);
        Assert.Equal(failure.Message, atFailure.Error);
        Assert.Equal(Probes[..3], atFailure.CompletedProbes);
        string stale = Path.Combine(run.Path, ".predictions.parquet.0badf00d.tmp");
        File.WriteAllText(stale, "half a file from a killed writer");

        File.Copy(model.ExamplesPath, later);
        var lines = new List<string>();
        var resumed = VisionScan.Run(Plan(model, "broken", later, resume: true), lines.Add);

        Assert.Contains("resuming run broken: mia, canary_audit, memorization already complete, read back from the run folder", lines);
        // only the 64 images of the prediction statistics went through a model: the examples were not scored again
        Assert.Equal(64, resumed.Queries);
        Assert.DoesNotContain(lines, l => l.Contains("reference models"));
        var info = run.ReadInfo();
        Assert.Equal(RunStatus.Complete, info.Status);
        Assert.Null(info.Error);
        Assert.Equal(Probes, info.CompletedProbes);
        Assert.Equal(atFailure.StartedUtc, info.StartedUtc);
        Assert.False(File.Exists(stale));
        await RunFiles.AssertSameTables(full.Run.Path, run.Path);

        // The console report of the resumed run is the uninterrupted run's, notes of the read-back probes included.
        Assert.Contains(full.Notes, n => n.StartsWith("LiRA offline with per-example variance needs"));
        Assert.Equal(full.Notes.Distinct().Order(), resumed.Notes.Distinct().Order());
        Assert.Equal(full.References, resumed.References);
        Assert.Equal(full.Membership!.Summaries, resumed.Membership!.Summaries);
        Assert.Equal(full.Audit!.Headline, resumed.Audit!.Headline);
        Assert.Equal(full.Memorization!.Summary, resumed.Memorization!.Summary);
        Assert.Equal(full.Findings.Select(f => f with { CreatedUtc = default }), resumed.Findings.Select(f => f with { CreatedUtc = default }));
    }

    [Fact]
    public async Task A_run_whose_first_probes_are_complete_scores_the_examples_again_for_the_others()
    {
        var model = TinyClassifier.Write(_dir.File("family"));
        string images = Images(model, "images.parquet");
        var full = VisionScan.Run(Plan(model, "full", images));
        var run = Interrupted(model, images);
        // As a kill after the membership probe leaves it: later probes' files gone, run.json lists mia only.
        foreach (var table in new[] { AuditRow.TableName, MemorizationRow.TableName, MemorizationSummaryRow.TableName, PredictionRow.TableName })
            File.Delete(run.TablePath(table));
        var findings = await FindingsTable.ReadAsync(run.FindingsPath, TestContext.Current.CancellationToken);
        await FindingsTable.WriteAsync(run.FindingsPath, findings.Where(f => f.Probe == MembershipProbe.Name), TestContext.Current.CancellationToken);
        run.WriteInfo(run.ReadInfo() with { Status = RunStatus.Running, CompletedProbes = [MembershipProbe.Name] });

        var lines = new List<string>();
        var resumed = VisionScan.Run(Plan(model, "r", images, resume: true), lines.Add);

        Assert.Contains("resuming run r: mia already complete, read back from the run folder", lines);
        Assert.Contains("120 examples (60 trained on), 4 reference models", lines);
        Assert.DoesNotContain("membership inference", lines);
        Assert.Equal(Probes, run.ReadInfo().CompletedProbes);
        await RunFiles.AssertSameTables(full.Run.Path, run.Path);
        Assert.Equal(full.Notes.Distinct().Order(), resumed.Notes.Distinct().Order());
    }

    [Fact]
    public async Task A_skipped_canary_audit_does_not_make_a_resume_score_the_examples_again()
    {
        var model = TinyClassifier.Write(_dir.File("family"));
        // The same family's examples without their canaries: nothing for the audit to play with.
        string noCanaries = _dir.File("family/no-canaries.parquet");
        var rows = await ParquetTable<ExampleRow>.ReadAsync(model.ExamplesPath, TestContext.Current.CancellationToken);
        await ParquetTable<ExampleRow>.WriteAsync(noCanaries, rows.Where(r => r.Role != ExampleRow.Canary), TestContext.Current.CancellationToken);
        string later = _dir.File("later.parquet");
        var plan = Plan(model, "r", later) with { ExamplesPath = noCanaries };

        Assert.Throws<MemScanException>(() => VisionScan.Run(plan)); // the prediction images are missing: fails last
        Assert.Equal([MembershipProbe.Name, MemorizationProbe.Name], RunFolder.Open(_dir.File("runs/r")).ReadInfo().CompletedProbes);

        File.Copy(model.ExamplesPath, later);
        var resumed = VisionScan.Run(plan with { Resume = true });
        Assert.Contains(resumed.Notes, n => n.StartsWith("canary audit skipped"));
        Assert.Null(resumed.Audit);
        Assert.Equal(64, resumed.Queries); // only the prediction images: the examples were not scored again for the audit
    }

    [Fact]
    public void A_complete_run_is_not_resumed_and_stays_complete()
    {
        var model = TinyClassifier.Write(_dir.File("family"));
        string images = Images(model, "images.parquet");
        VisionScan.Run(Plan(model, "r", images));
        Assert.Contains("run r is complete: nothing to resume", Refusal(Plan(model, "r", images, resume: true)));
        Assert.Equal(RunStatus.Complete, RunFolder.Open(_dir.File("runs/r")).ReadInfo().Status);
    }

    [Fact]
    public void A_run_of_another_model_is_not_resumed_and_the_message_names_both_hashes()
    {
        var model = TinyClassifier.Write(_dir.File("family"));
        string images = Images(model, "images.parquet");
        string old = Interrupted(model, images).ReadInfo().ModelSha256;
        var other = TinyClassifier.Write(_dir.File("other"), hidden: 12);
        File.Copy(other.ModelPath, model.ModelPath, overwrite: true);

        string message = Refusal(Plan(model, "r", images, resume: true));

        Assert.Contains("cannot resume run r: the model differs: run.json has SHA-256 " + old[..12], message);
        Assert.Contains(RunInfo.ComputeSha256(model.ModelPath)[..12], message);
        Assert.Equal(RunStatus.Failed, RunFolder.Open(_dir.File("runs/r")).ReadInfo().Status);
    }

    [Fact]
    public void A_run_with_other_settings_or_inputs_is_not_resumed_and_the_message_names_the_setting()
    {
        var model = TinyClassifier.Write(_dir.File("family"));
        string images = Images(model, "images.parquet");
        Interrupted(model, images);
        var plan = Plan(model, "r", images, resume: true);

        Assert.Equal("cannot resume run r: the memorization setting 'k' differs: the run has 10, this scan 5",
            Refusal(plan with { Memorization = plan.Memorization with { K = 5 } }));
        Assert.Equal("cannot resume run r: the canary_audit setting 'references' differs: the run has on, this scan off",
            Refusal(plan with { NoReferences = true }));
        Assert.Equal($"cannot resume run r: the canary_audit setting 'examples' differs: the run has {model.ExamplesPath}, this scan {images}",
            Refusal(plan with { ExamplesPath = images }));
        Assert.Equal("cannot resume run r: the probes differ: the run has canary_audit,memorization,mia,predictions, this scan mia",
            Refusal(plan with { Probes = [MembershipProbe.Name] }));
    }

    [Fact]
    public void A_run_whose_manifest_or_examples_were_edited_since_is_not_resumed()
    {
        var model = TinyClassifier.Write(_dir.File("family"));
        string images = Images(model, "images.parquet");
        var inputs = Interrupted(model, images).ReadInfo().Inputs;
        Assert.Equal(["examples", "manifest"], inputs.Keys.Order());

        string manifest = MemScan.Scanner.Manifest.ModelManifest.PathFor(model.ModelPath);
        string original = File.ReadAllText(manifest);
        File.WriteAllText(manifest, original + "\n");
        Assert.StartsWith("cannot resume run r: the manifest file differs: the run read SHA-256 ", Refusal(Plan(model, "r", images, resume: true)));

        File.WriteAllText(manifest, original);
        File.AppendAllText(model.ExamplesPath, "trailing bytes");
        Assert.StartsWith("cannot resume run r: the examples file differs", Refusal(Plan(model, "r", images, resume: true)));
    }

    [Fact]
    public void A_run_another_process_is_writing_is_not_resumed()
    {
        var model = TinyClassifier.Write(_dir.File("family"));
        string images = Images(model, "images.parquet");
        var run = Interrupted(model, images);
        using (RunLock.Acquire(run.Path))
            Assert.Contains($"run folder {run.Path} is being written by another process", Refusal(Plan(model, "r", images, resume: true)));
        VisionScan.Run(Plan(model, "r", images, resume: true));
        Assert.Equal(RunStatus.Complete, run.ReadInfo().Status);
    }

    [Fact]
    public void Resume_needs_a_run_id_and_an_existing_run()
    {
        var model = TinyClassifier.Write(_dir.File("family"));
        string images = Images(model, "images.parquet");
        Assert.Equal("--resume needs --run-id: the id of the run to continue", Refusal(Plan(model, "r", images, resume: true) with { RunId = null }));
        Assert.Contains("does not exist: nothing to resume (drop --resume to start run r)", Refusal(Plan(model, "r", images, resume: true)));
    }
}
