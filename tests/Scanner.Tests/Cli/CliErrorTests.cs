using System.Diagnostics;
using Xunit;

namespace MemScan.Scanner.Tests.Cli;

/// <summary>Runs the real memscan executable: user mistakes give one line on stderr and exit code 2.</summary>
public class CliErrorTests
{
    static (int Code, string Stdout, string Stderr) Memscan(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "memscan.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr);
    }

    static string TempFile(string name, byte[] content)
    {
        string dir = Path.Combine(Path.GetTempPath(), "memscan-cli-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    static void AssertOneClearLine((int Code, string Stdout, string Stderr) r, string expected)
    {
        Assert.Equal(2, r.Code);
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line, got:\n{r.Stderr}");
        Assert.Contains(expected, lines[0]);
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    [Fact]
    public void An_unreadable_memory_budget_is_one_clear_line_and_exit_code_2()
    {
        string model = MemScan.Scanner.Tests.Models.BigramOnnxModel.Write(TempFile("model.onnx", []), vocab: 12);
        AssertOneClearLine(Memscan("scan", model, "--memory-budget", "lots"), "--memory-budget: cannot read 'lots' as a size");
    }

    [Fact]
    public void A_missing_model_file_is_one_clear_line_and_exit_code_2() =>
        AssertOneClearLine(Memscan("scan", "/nonexistent/model.onnx"), "does not exist");

    [Fact]
    public void A_language_model_without_manifest_is_one_clear_line_and_exit_code_2()
    {
        string model = MemScan.Scanner.Tests.Models.BigramOnnxModel.Write(TempFile("model.onnx", []), vocab: 12);
        AssertOneClearLine(Memscan("scan", model), "has no manifest");
    }

    [Fact]
    public void A_corrupt_model_file_is_one_clear_line_and_exit_code_2()
    {
        string model = TempFile("model.onnx", Enumerable.Range(0, 300).Select(i => (byte)(i * 37)).ToArray());
        File.WriteAllText(Path.ChangeExtension(model, null) + ".memscan.json",
            """{"format":"memscan-manifest/1","kind":"language-model","tokenizer":{"kind":"char","symbols":"\u0000ab"},"canaries":[{"id":"c","template":"x {secret}","secret":"12","space":"digits:2","insertions":1}]}""");
        AssertOneClearLine(Memscan("scan", model), "is not a valid ONNX model");
    }

    [Fact]
    public void A_corrupt_manifest_is_one_clear_line_and_exit_code_2()
    {
        string model = TempFile("model.onnx", [1, 2, 3]);
        File.WriteAllText(Path.ChangeExtension(model, null) + ".memscan.json", "{ not json");
        AssertOneClearLine(Memscan("scan", model), "is not valid JSON");
    }

    [Fact]
    public void An_unknown_option_is_one_clear_line_and_exit_code_2() =>
        AssertOneClearLine(Memscan("scan", "x.onnx", "--frobnicate"), "--frobnicate");

    static string Sparse(string folder, string name, long size)
    {
        string path = Path.Combine(folder, name);
        using (var stream = File.Create(path)) stream.SetLength(size);
        return path;
    }

    [Fact]
    public void A_huge_samples_file_is_one_clear_line_naming_it_and_exit_code_2()
    {
        using var dir = new MemScan.Scanner.Tests.Results.TempFolder(); // deletes the sparse file
        string folder = dir.Path;
        var model = MemScan.Scanner.Tests.Reliability.TinyScanModel.Write(Path.Combine(folder, "model"));
        string huge = Sparse(folder, "samples.txt", (256L << 20) + 1);
        AssertOneClearLine(Memscan("scan", model.ModelPath, "--runs", Path.Combine(folder, "runs"), "--probes", "discoverable", "--samples-file", huge),
            $"samples file {huge} is {(256L << 20) + 1} bytes; the limit is {256L << 20} (256 MiB)");
        AssertOneClearLine(Memscan("scan", model.ModelPath, "--runs", Path.Combine(folder, "runs"), "--probes", "mia", "--members", huge,
            "--non-members", Path.Combine(folder, "model", "samples", "non-members.txt")), $"members file {huge} is");
    }

    [Fact]
    public void A_huge_examples_file_given_to_vision_is_one_clear_line_naming_it_and_exit_code_2()
    {
        using var dir = new MemScan.Scanner.Tests.Results.TempFolder(); // deletes the sparse file
        string folder = dir.Path;
        var model = MemScan.Scanner.Tests.Vision.TinyClassifier.Write(Path.Combine(folder, "family"));
        string huge = Sparse(folder, "examples.parquet", (1L << 30) + 1);
        AssertOneClearLine(Memscan("vision", model.ModelPath, "--runs", Path.Combine(folder, "runs"), "--examples", huge),
            $"examples file {huge} is {(1L << 30) + 1} bytes; the limit is {1L << 30} (1024 MiB)");
    }
}
