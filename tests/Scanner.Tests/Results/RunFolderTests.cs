using Xunit;
using System.Text.Json;
using System.Text.RegularExpressions;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Tests.Results;

public class RunFolderTests
{
    private static readonly DateTime Started = new(2026, 11, 25, 19, 33, 0, DateTimeKind.Utc);

    private static RunInfo Info(string runId, DateTime started) => new()
    {
        RunId = runId,
        ToolVersion = "0.1.0",
        StartedUtc = started,
        ModelPath = "models/char-lstm.onnx",
        ModelSha256 = new string('a', 64),
        ModelKind = "language_model",
        ManifestPath = "models/char-lstm.memscan.json",
        Probes = new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["exposure"] = new Dictionary<string, string> { ["max_exact"] = "10000000", ["batch"] = "512" },
            ["extraction"] = new Dictionary<string, string> { ["budget"] = "1e6" },
        },
        Device = "cuda:0",
        CommandLine = "memscan scan models/char-lstm.onnx --probes exposure,extraction",
    };

    [Fact]
    public void A_new_run_id_has_the_start_time_the_model_stem_and_four_hex_digits()
    {
        string id = RunFolder.NewRunId("models/My Model v2.onnx", Started);

        Assert.Matches(new Regex("^20261125-193300-My-Model-v2-[0-9a-f]{4}$"), id);
        RunFolder.ValidateRunId(id);
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    public void An_unsafe_run_id_is_a_user_error(string id)
    {
        Assert.Throws<MemScanException>(() => RunFolder.ValidateRunId(id));
    }

    [Fact]
    public void Creating_a_run_writes_run_json_with_status_running_and_all_fields()
    {
        using var dir = new TempFolder();
        string runs = Path.Combine(dir.Path, "runs");

        RunFolder run = RunFolder.Create(runs, Info("r1", Started));
        RunInfo back = run.ReadInfo();

        Assert.Equal(Path.Combine(runs, "r1"), run.Path);
        Assert.Equal(RunStatus.Running, back.Status);
        Assert.Equal("r1", back.RunId);
        Assert.Equal(Started, back.StartedUtc);
        Assert.Equal(DateTimeKind.Utc, back.StartedUtc.Kind);
        Assert.Null(back.FinishedUtc);
        Assert.Equal("models/char-lstm.onnx", back.ModelPath);
        Assert.Equal(new string('a', 64), back.ModelSha256);
        Assert.Equal("language_model", back.ModelKind);
        Assert.Equal("models/char-lstm.memscan.json", back.ManifestPath);
        Assert.Equal(["exposure", "extraction"], back.Probes.Keys);
        Assert.Equal("512", back.Probes["exposure"]["batch"]);
        Assert.Equal("cuda:0", back.Device);
        Assert.Equal(Info("r1", Started).CommandLine, back.CommandLine);
        Assert.Equal(["run.json"], Directory.GetFiles(run.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Run_json_uses_snake_case_names_and_lowercase_status()
    {
        using var dir = new TempFolder();
        RunFolder run = RunFolder.Create(dir.Path, Info("r1", Started));

        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(run.InfoPath));
        JsonElement root = doc.RootElement;

        Assert.Equal("running", root.GetProperty("status").GetString());
        Assert.Equal("2026-11-25T19:33:00Z", root.GetProperty("started_utc").GetString());
        Assert.Equal(1, root.GetProperty("format_version").GetInt32());
        foreach (string name in RunInfoFields.Required)
            Assert.True(root.TryGetProperty(name, out _), $"run.json lacks '{name}'");
    }

    [Fact]
    public void Marking_complete_records_the_finish_time_and_the_timings()
    {
        using var dir = new TempFolder();
        RunFolder run = RunFolder.Create(dir.Path, Info("r1", Started));

        run.MarkComplete(Started.AddMinutes(2), new Dictionary<string, double> { ["exposure"] = 95.5, ["extraction"] = 20 });
        RunInfo back = run.ReadInfo();

        Assert.Equal(RunStatus.Complete, back.Status);
        Assert.Equal(Started.AddMinutes(2), back.FinishedUtc);
        Assert.Equal(95.5, back.TimingsSeconds["exposure"]);
        Assert.Equal(20, back.TimingsSeconds["extraction"]);
    }

    [Fact]
    public void Marking_probes_complete_records_their_order_timings_and_notes()
    {
        using var dir = new TempFolder();
        RunFolder run = RunFolder.Create(dir.Path, Info("r1", Started));

        run.MarkProbeComplete("mia", 1.5, ["LiRA skipped: no references"]);
        run.MarkProbeComplete("memorization", 2);
        RunInfo back = run.ReadInfo();

        Assert.Equal(["mia", "memorization"], back.CompletedProbes);
        Assert.Equal(1.5, back.TimingsSeconds["mia"]);
        Assert.Equal(["LiRA skipped: no references"], back.ProbeNotes["mia"]);
        Assert.False(back.ProbeNotes.ContainsKey("memorization"));
    }

    [Fact]
    public void Marking_failed_records_the_error()
    {
        using var dir = new TempFolder();
        RunFolder run = RunFolder.Create(dir.Path, Info("r1", Started));

        run.MarkFailed(Started.AddSeconds(3), "model.onnx: unsupported operator 'Foo'");

        RunInfo back = RunFolder.Open(run.Path).ReadInfo();
        Assert.Equal(RunStatus.Failed, back.Status);
        Assert.Equal("model.onnx: unsupported operator 'Foo'", back.Error);
    }

    [Fact]
    public void Creating_a_run_that_exists_is_a_user_error()
    {
        using var dir = new TempFolder();
        RunFolder.Create(dir.Path, Info("r1", Started));

        var e = Assert.Throws<MemScanException>(() => RunFolder.Create(dir.Path, Info("r1", Started)));

        Assert.Contains("already exists", e.Message);
    }

    [Fact]
    public void Run_folders_and_run_json_are_owner_only()
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("Unix file modes");
        using var dir = new TempFolder();
        string runs = Path.Combine(dir.Path, "runs");

        RunFolder run = RunFolder.Create(runs, Info("r1", Started));

        Assert.Equal(AtomicFile.PrivateFolderMode, UnixModes.Of(runs));
        Assert.Equal(AtomicFile.PrivateFolderMode, UnixModes.Of(run.Path));
        Assert.Equal(AtomicFile.PrivateFileMode, UnixModes.Of(run.InfoPath));
    }

    [Fact]
    public void Listing_runs_puts_the_newest_first_and_reports_corrupt_ones_without_throwing()
    {
        using var dir = new TempFolder();
        RunFolder.Create(dir.Path, Info("old", Started));
        RunFolder.Create(dir.Path, Info("new", Started.AddDays(1)));
        RunFolder broken = RunFolder.Create(dir.Path, Info("broken", Started.AddDays(2)));
        File.WriteAllText(broken.InfoPath, "{ \"run_id\": \"broken\", ");
        Directory.CreateDirectory(Path.Combine(dir.Path, "empty"));
        Directory.SetLastWriteTimeUtc(Path.Combine(dir.Path, "empty"), Started.AddDays(-5));
        Directory.SetLastWriteTimeUtc(broken.Path, Started.AddDays(-4));
        Directory.CreateDirectory(Path.Combine(dir.Path, ".tmp-ignored"));

        IReadOnlyList<RunListing> runs = RunFolder.List(dir.Path);

        Assert.Equal(["new", "old", "broken", "empty"], runs.Select(r => r.RunId));
        Assert.False(runs[0].IsCorrupt);
        Assert.Equal(Started.AddDays(1), runs[0].Info!.StartedUtc);
        Assert.True(runs[2].IsCorrupt);
        Assert.Contains("run.json is corrupt", runs[2].Problem);
        Assert.True(runs[3].IsCorrupt);
        Assert.Contains("does not exist", runs[3].Problem);
    }

    [Fact]
    public void Opening_a_folder_with_a_corrupt_run_json_is_a_user_error_naming_the_file()
    {
        using var dir = new TempFolder();
        RunFolder run = RunFolder.Create(dir.Path, Info("r1", Started));
        File.WriteAllText(run.InfoPath, "[1, 2]");

        var e = Assert.Throws<MemScanException>(() => RunFolder.Open(run.Path));

        Assert.Contains(run.InfoPath, e.Message);
    }

    [Fact]
    public void A_run_json_missing_a_required_field_is_corrupt()
    {
        var e = Assert.Throws<MemScanException>(() => RunInfo.Parse("""{ "run_id": "r1" }""", "runs/r1/run.json"));

        Assert.StartsWith("runs/r1/run.json is corrupt", e.Message);
    }

    [Fact]
    public void A_run_json_from_a_newer_memscan_asks_for_an_upgrade()
    {
        string json = Info("r1", Started).ToJson().Replace("\"format_version\": 1", "\"format_version\": 9");

        var e = Assert.Throws<MemScanException>(() => RunInfo.Parse(json, "run.json"));

        Assert.Contains("upgrade MemScan", e.Message);
    }

    [Fact]
    public void Table_paths_live_in_the_run_folder()
    {
        using var dir = new TempFolder();
        RunFolder run = RunFolder.Create(dir.Path, Info("r1", Started));

        Assert.Equal(Path.Combine(run.Path, "exposure.parquet"), run.TablePath("exposure"));
        Assert.Equal(Path.Combine(run.Path, "findings.parquet"), run.FindingsPath);
        Assert.Throws<MemScanException>(() => run.TablePath("../escape"));
    }
}

internal static class RunInfoFields
{
    public static readonly string[] Required =
    [
        "format_version", "run_id", "tool_version", "status", "started_utc", "model_path", "model_sha256",
        "model_kind", "manifest_path", "probes", "completed_probes", "probe_notes", "timings_seconds", "device", "command_line",
    ];

    public static readonly string[] Optional = ["finished_utc", "error"];
}
