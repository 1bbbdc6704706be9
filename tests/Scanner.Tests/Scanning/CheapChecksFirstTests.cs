using MemScan.Scanner.Results;
using MemScan.Scanner.Tests.Reliability;
using MemScan.Scanner.Tests.Results;
using Xunit;

namespace MemScan.Scanner.Tests.Scanning;

/// <summary>
/// The checks that cost nothing come before any model loads: the model here is random bytes, so a
/// command that loaded it first would say "is not a valid ONNX model" instead of naming the typo in
/// <c>--runs</c>, <c>--run-id</c>, <c>--sweeps</c>, <c>--sweep-id</c> or an option's value.
/// </summary>
public sealed class CheapChecksFirstTests : IDisposable
{
    readonly TempFolder _dir = new();
    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Runs_folder_run_id_and_option_values_are_refused_before_the_model_is_read()
    {
        string model = _dir.File("corrupt.onnx");
        File.WriteAllBytes(model, [1, 2, 3, 4, 5, 6, 7, 8]);
        string aFile = _dir.File("a-file");
        File.WriteAllText(aFile, "x");
        string runs = _dir.File("runs");
        Directory.CreateDirectory(Path.Combine(runs, "taken"));
        var done = new RunInfo { RunId = "done", ToolVersion = "0", ModelPath = model, ModelSha256 = "00", ModelKind = "language-model", StartedUtc = DateTime.UtcNow };
        RunFolder.Create(runs, done).MarkComplete(DateTime.UtcNow);

        var cases = new (string[] Args, string Expected)[]
        {
            (["scan", model, "--runs", runs, "--run-id", "../escape"], "run id '../escape' is not a safe folder or file name"),
            (["scan", model, "--runs", aFile], $"--runs {aFile} is a file, not a folder"),
            (["scan", model, "--runs", Path.Combine(aFile, "below")], $"cannot be created: {aFile} is a file, not a folder"),
            (["scan", model, "--runs", runs, "--run-id", "taken"], "run folder " + Path.Combine(runs, "taken") + " already exists; choose another run id"),
            (["scan", model, "--runs", runs, "--run-id", "nope", "--resume"], "does not exist: nothing to resume"),
            (["scan", model, "--runs", runs, "--run-id", "done", "--resume"], "run done is complete: nothing to resume"),
            (["scan", model, "--runs", runs, "--resume"], "--resume needs --run-id"),
            (["scan", model, "--runs", runs, "--batch", "-1"], "--batch must be >= 0, got -1"),
            (["vision", model, "--runs", aFile], $"--runs {aFile} is a file, not a folder"),
            (["vision", model, "--runs", runs, "--run-id", "done", "--resume"], "run done is complete: nothing to resume"),
            (["sweep", model, "--sweeps", aFile], $"--sweeps {aFile} is a file, not a folder"),
            (["sweep", model, "--sweeps", runs, "--sweep-id", "../escape"], "run id '../escape' is not a safe folder or file name"),
        };
        foreach (var (args, expected) in cases)
        {
            var result = MemscanProcess.Run(args);
            string command = string.Join(' ', args.Skip(2));
            Assert.True(result.Code == 2, $"{args[0]} {command}: exit {result.Code}: {result.Stderr}");
            string line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.DoesNotContain("ONNX", line);
            Assert.Contains(expected, line);
        }
    }
}
