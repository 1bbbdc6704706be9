using System.Diagnostics;
using Xunit;

namespace MemScan.Scanner.Tests.Sweeps;

/// <summary>Runs the real memscan executable on the tiny model: sweep, stop, resume, merge.</summary>
public class SweepCommandTests
{
    static (int Code, string Stdout, string Stderr) Memscan(IDictionary<string, string>? env, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "memscan.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) start.Environment[k] = v;
        start.Environment["COLUMNS"] = "200";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }

    [Fact]
    public void A_sweep_stopped_by_max_parts_exits_3_resumes_to_0_and_merges_into_a_report()
    {
        using var tiny = new TinySweep();
        string[] sweep = ["sweep", tiny.ModelPath, "--sweeps", tiny.SweepsRoot, "--sweep-id", "cli", "--samples", "6", "--tokens", "12",
                          "--batch", "3", "--batches-per-part", "1", "--threads", "1"];

        var first = Memscan(null, [.. sweep, "--max-parts", "1"]);
        Assert.True(first.Code == 3, first.Stderr);
        Assert.Contains("incomplete", first.Stdout);
        var second = Memscan(null, sweep);
        Assert.True(second.Code == 0, second.Stderr);
        Assert.Contains("3 already committed, 6/6 done", second.Stdout);

        string corpus = Path.Combine(tiny.Folder, "corpus.txt");
        File.WriteAllText(corpus, "nothing from this model");
        var merge = Memscan(null, "sweep", "merge", Path.Combine(tiny.SweepsRoot, "cli"), "--corpus", corpus, "--min-match", "10");
        Assert.True(merge.Code == 0, merge.Stderr);
        Assert.Contains("6 of 6 samples from 2 part(s)", merge.Stdout);
        Assert.Contains("Precision", merge.Stdout);
        Assert.True(File.Exists(Path.Combine(tiny.SweepsRoot, "cli", "ranked.parquet")));
    }

    [Fact]
    public void The_shard_comes_from_a_kubernetes_index_and_a_bad_one_is_one_clear_line()
    {
        using var tiny = new TinySweep();
        string[] sweep = ["sweep", tiny.ModelPath, "--sweeps", tiny.SweepsRoot, "--sweep-id", "k8s", "--samples", "6", "--tokens", "4",
                          "--batch", "3", "--shards", "2", "--threads", "1"];

        var ok = Memscan(new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "1" }, sweep);
        Assert.True(ok.Code == 0, ok.Stderr);
        Assert.Contains("shard 1/2: 3 samples written", ok.Stdout);
        Assert.True(File.Exists(Path.Combine(tiny.SweepsRoot, "k8s", "shard=0001", "part-0000.parquet")));

        var bad = Memscan(new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "2" }, sweep);
        Assert.Equal(2, bad.Code);
        Assert.Contains("shard index 2 is outside 0..1", bad.Stderr);
        Assert.DoesNotContain("   at ", bad.Stderr);
    }

    [Fact]
    public void A_merge_of_an_incomplete_sweep_exits_3_naming_the_missing_shard_and_allow_partial_merges()
    {
        using var tiny = new TinySweep();
        var env = new Dictionary<string, string> { ["SLURM_ARRAY_TASK_ID"] = "1", ["SLURM_ARRAY_TASK_MIN"] = "1", ["SLURM_ARRAY_TASK_MAX"] = "1", ["SLURM_ARRAY_TASK_COUNT"] = "1" };
        // a resubmitted single index (sbatch --array=1) is shard 1 of --shards 3, not 0
        var shard = Memscan(env, "sweep", tiny.ModelPath, "--sweeps", tiny.SweepsRoot, "--sweep-id", "part", "--samples", "9", "--tokens", "4",
                            "--batch", "3", "--shards", "3", "--threads", "1");
        Assert.True(shard.Code == 0, shard.Stderr);
        Assert.Contains("shard 1/3: 3 samples written", shard.Stdout);
        string dir = Path.Combine(tiny.SweepsRoot, "part");

        var refused = Memscan(null, "sweep", "merge", dir);
        Assert.Equal(3, refused.Code);
        Assert.Contains("3 of 9 samples are committed: shards 0, 2 not started", refused.Stderr);
        Assert.False(File.Exists(Path.Combine(dir, "ranked.parquet")));

        var partial = Memscan(null, "sweep", "merge", dir, "--allow-partial");
        Assert.True(partial.Code == 0, partial.Stderr);
        Assert.Contains("PARTIAL MERGE", partial.Stdout);
        Assert.Contains("\"complete\": false", File.ReadAllText(Path.Combine(dir, "merge.json")));
    }

    [Fact]
    public void Compare_finds_a_sharded_sweep_identical_to_the_unsharded_one_and_names_a_different_seed()
    {
        using var tiny = new TinySweep();
        string[] Sweep(string id, params string[] more) => ["sweep", tiny.ModelPath, "--sweeps", tiny.SweepsRoot, "--sweep-id", id, "--samples", "7",
                                                             "--tokens", "5", "--batch", "2", "--threads", "1", .. more];
        Assert.Equal(0, Memscan(null, Sweep("whole")).Code);
        Assert.Equal(0, Memscan(null, Sweep("halves", "--shard", "0/2")).Code);
        Assert.Equal(0, Memscan(null, Sweep("halves", "--shard", "1/2")).Code);
        Assert.Equal(0, Memscan(null, Sweep("seed", "--seed", "5")).Code);

        var same = Memscan(null, "sweep", "compare", Path.Combine(tiny.SweepsRoot, "whole"), Path.Combine(tiny.SweepsRoot, "halves"));
        Assert.True(same.Code == 0, same.Stdout + same.Stderr);
        Assert.Contains("identical: 7 samples", same.Stdout);

        var other = Memscan(null, "sweep", "compare", Path.Combine(tiny.SweepsRoot, "whole"), Path.Combine(tiny.SweepsRoot, "seed"));
        Assert.Equal(1, other.Code);
        Assert.Contains("sample 0: differs", other.Stdout);
    }
}
