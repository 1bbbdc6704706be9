using System.Diagnostics;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Tests.Reliability;
using MemScan.Trainer.Checkpoints;
using Xunit;

namespace MemScan.Trainer.Tests.Checkpoints;

/// <summary>
/// The real <c>memscan-train gpt</c> killed with SIGKILL in the middle of training, then run again
/// with <c>--resume</c>: it continues from its last checkpoint and writes the same model.onnx, byte
/// for byte, as a run that was never killed.
/// </summary>
public class KilledTrainingTests
{
    const int Steps = 120;

    static string[] Args(string outDir, params string[] extra) =>
    [
        "gpt", "--corpus", "moby-dick", "--max-chars", "20000", "--steps", Steps.ToString(), "--batch", "4", "--seq-len", "16",
        "--context", "32", "--dim", "16", "--layers", "1", "--heads", "2", "--threads", "1", "--seed", "5",
        "--canary", "c8|the vault code is {secret}\n|digits:6|8", "--checkpoint-every", "5", "--out", outDir, .. extra,
    ];

    static Process Start(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "memscan-train.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        return Process.Start(start)!;
    }

    static (int Code, string Stdout, string Stderr) Run(IEnumerable<string> args)
    {
        using var process = Start(args);
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.GetAwaiter().GetResult());
    }

    [Fact]
    public void A_training_run_killed_mid_way_resumes_to_the_model_of_an_uninterrupted_run()
    {
        string straightDir = TinyModels.TempDir("killed-train-straight");
        var straight = Run(Args(straightDir));
        Assert.True(straight.Code == 0, straight.Stderr);

        string dir = TinyModels.TempDir("killed-train");
        string checkpoints = Path.Combine(dir, "checkpoint");
        long killedAt;
        using (var process = Start(Args(dir)))
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            // looked at while the trainer is frozen, so it is killed at the checkpoint seen, never after its last step
            FreezeAndKill.When(process, () => TrainingCheckpoint.Peek(checkpoints) is { Step: >= 10 and < Steps },
                TimeSpan.FromSeconds(240), () => stderr.Result);
            killedAt = TrainingCheckpoint.Peek(checkpoints)!.Step;
        }
        Assert.InRange(killedAt, 10, Steps - 1);
        // What a kill in the middle of a save leaves behind; the resumed run must clear it.
        File.WriteAllText(Path.Combine(checkpoints, "." + TrainingCheckpoint.FileName + ".deadbeef.tmp"), "half a checkpoint");
        Assert.False(File.Exists(Path.Combine(dir, "model.onnx")));

        var resumed = Run(Args(dir, "--resume"));
        Assert.True(resumed.Code == 0, resumed.Stderr);
        Assert.Contains($"resumed from step {killedAt}", resumed.Stdout);
        Assert.Empty(Directory.GetFiles(checkpoints, "*.tmp"));
        string Sha(string d) => ModelManifest.Load(Path.Combine(d, "model.memscan.json")).ModelSha256!;
        Assert.Equal(Sha(straightDir), Sha(dir));
    }
}
