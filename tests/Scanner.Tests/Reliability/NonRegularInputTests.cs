using System.Diagnostics;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Onnx;
using MemScan.Scanner.Scanning;
using MemScan.Scanner.Tests.Results;
using MemScan.Scanner.Tokenizers;
using Xunit;

namespace MemScan.Scanner.Tests.Reliability;

/// <summary>
/// Inputs whose size the file system cannot tell: a FIFO, a pipe (<c>&lt;(yes)</c>, <c>&lt;(cat model.onnx)</c>),
/// <c>/dev/zero</c> and links to them. Each reports 0 bytes and some never end, so a size limit
/// checked against the reported length bounds nothing. Every reader refuses them at once in one
/// line naming the file and its kind, and a regular file that grows past its limit while being read
/// is refused too. Linux only (FIFOs, /dev/zero, bash process substitution).
/// </summary>
public sealed class NonRegularInputTests : IDisposable
{
    /// <summary>What the scanner process may grow to while refusing /dev/zero (it peaks at 31-67 MiB; reading /dev/zero grew it to gigabytes).</summary>
    const long PeakBoundBytes = 256L << 20;

    readonly TempFolder _dir = new();
    public void Dispose() => _dir.Dispose();

    string Fifo()
    {
        string path = _dir.File("fifo-" + Guid.NewGuid().ToString("N")[..6]);
        var made = MemscanProcess.Run(new ProcessStartInfo("mkfifo", [path]) { RedirectStandardError = true, RedirectStandardOutput = true });
        Assert.True(made.Code == 0, made.Stderr);
        return path;
    }

    /// <summary>Runs <paramref name="read"/> on another thread: a reader that blocks on a FIFO fails the test after 10 s instead of hanging it.</summary>
    static (MemScanException Error, TimeSpan Took) Refused(Action read)
    {
        var watch = Stopwatch.StartNew();
        var task = Task.Run(read);
        Assert.True(Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(10))).GetAwaiter().GetResult() == task, "the reader blocked for 10 s");
        var error = Assert.IsType<MemScanException>(task.Exception?.InnerException);
        return (error, watch.Elapsed);
    }

    [Fact]
    public void A_fifo_given_to_every_reader_is_refused_at_once_naming_it()
    {
        if (!OperatingSystem.IsLinux()) return;
        string fifo = Fifo();
        var readers = new (string What, Action Read)[]
        {
            ("ONNX model", () => OnnxModelInfo.Load(fifo)),
            ("manifest", () => ModelManifest.Load(fifo)),
            ("profile", () => LmProfile.Load(fifo)),
            ("samples file", () => SampleFile.Read(fifo)),
            ("GPT-2 BPE vocabulary", () => Gpt2BpeTokenizer.Create(fifo, fifo)),
            ("PNG", () => MemScan.Scanner.Vision.PngDecoder.Decode(fifo)),
            ("IDX file", () => MemScan.Scanner.Corpora.IdxFile.Read(fifo)),
            ("findings table", () => MemScan.Scanner.Results.FindingsTable.ReadAsync(fifo).GetAwaiter().GetResult()),
        };
        foreach (var (what, read) in readers)
        {
            var (error, took) = Refused(read);
            Assert.Equal($"{what} {fifo} is a pipe or FIFO, not a regular file; MemScan reads inputs only from regular files (save it to a file first)",
                error.Message);
            Assert.True(took < TimeSpan.FromSeconds(2), $"{what}: refusing the FIFO took {took.TotalSeconds:F1} s");
        }
    }

    [Fact]
    public void Dev_zero_a_link_to_it_and_a_directory_are_refused_by_what_they_are()
    {
        if (!OperatingSystem.IsLinux()) return;
        string link = _dir.File("model.memscan.json");
        File.CreateSymbolicLink(link, "/dev/zero");
        Assert.Equal($"manifest {link} is a character device, not a regular file; MemScan reads inputs only from regular files (save it to a file first)",
            Refused(() => ModelManifest.Load(link)).Error.Message);
        Assert.Contains("/dev/zero is a character device", Refused(() => SampleFile.Read("/dev/zero", "members file")).Error.Message);
        Assert.Equal($"ONNX model {_dir.Path} is a directory, not a file", Refused(() => OnnxModelInfo.Load(_dir.Path)).Error.Message);
        Assert.Equal((FileKind.CharacterDevice, 0), InputFile.KindOf(link));
        Assert.Equal(FileKind.Directory, InputFile.KindOf(_dir.Path).Kind);
    }

    [Fact]
    public void A_file_that_grows_past_its_limit_while_being_read_is_refused()
    {
        string path = _dir.File("growing.txt");
        File.WriteAllBytes(path, new byte[1000]);
        using var stream = InputFile.OpenRead(path, "samples file", maxBytes: 1024);
        File.AppendAllText(path, new string('x', 100)); // after the size was checked
        var e = Assert.Throws<MemScanException>(() => stream.CopyTo(Stream.Null));
        Assert.Equal($"samples file {path} holds more than 1024 bytes, the limit (1 KiB); it grew while being read", e.Message);
    }

    [Fact]
    public void The_cli_refuses_a_fifo_an_endless_pipe_and_a_model_through_a_pipe_in_one_line()
    {
        if (!OperatingSystem.IsLinux()) return;
        string model = TinyModel();
        string fifo = Fifo();
        // bash's <(...) hands memscan a pipe as /dev/fd/N
        var cases = new (string Name, string Command)[]
        {
            ("fifo", $"exec dotnet \"$0\" scan '{fifo}' --runs '{_dir.File("runs")}'"),
            ("<(yes)", $"exec dotnet \"$0\" scan <(yes 2>/dev/null) --runs '{_dir.File("runs")}'"),
            ("<(cat model.onnx)", $"exec dotnet \"$0\" scan <(cat '{model}') --runs '{_dir.File("runs")}'"),
        };
        foreach (var (name, command) in cases)
        {
            var start = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in new[] { "-c", command, MemscanProcess.Dll }) start.ArgumentList.Add(a);
            var result = RunWithin(start, TimeSpan.FromSeconds(60), out _);
            Assert.True(result.Code == 2, $"{name}: exit {result.Code}: {result.Stderr}");
            string line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Matches(@"^memscan: error: ONNX model \S+ is a pipe or FIFO, not a regular file", line);
            Assert.DoesNotContain("No graph", line);
        }
    }

    [Fact]
    public void Dev_zero_as_manifest_profile_tokenizer_and_samples_is_one_line_within_a_memory_bound()
    {
        if (!OperatingSystem.IsLinux()) return;
        string model = TinyModel();
        string beside = Path.Combine(Path.GetDirectoryName(model)!, "linked");
        Directory.CreateDirectory(beside);
        string linkedModel = Path.Combine(beside, "model.onnx");
        File.Copy(model, linkedModel);
        string foreign = _dir.File("foreign.onnx"); // no manifest beside it
        File.Copy(model, foreign);
        File.CreateSymbolicLink(Path.Combine(beside, "model.memscan.json"), "/dev/zero");
        string runs = _dir.File("runs");
        var cases = new (string Name, string[] Args, string Expected)[]
        {
            ("--manifest", ["scan", foreign, "--manifest", "/dev/zero", "--runs", runs], "manifest /dev/zero is a character device"),
            ("manifest beside the model", ["scan", linkedModel, "--runs", runs], "is a character device"),
            ("--profile", ["scan", foreign, "--profile", "/dev/zero", "--runs", runs], "profile /dev/zero is a character device"),
            ("--tokenizer VOCAB,MERGES", ["scan", foreign, "--tokenizer", "/dev/zero,/dev/zero", "--canary", "pin {secret}", "--space", "digits:2", "--runs", runs],
                "GPT-2 BPE vocabulary /dev/zero is a character device"),
            ("--samples-file", ["scan", model, "--probes", "discoverable", "--samples-file", "/dev/zero", "--in-process", "--runs", runs],
                "samples file /dev/zero is a character device"),
            ("vision --profile", ["vision", foreign, "--profile", "/dev/zero", "--in-process", "--runs", runs], "profile /dev/zero is a character device"),
            ("sweep --prompts", ["sweep", model, "--prompts", "/dev/zero", "--in-process", "--sweeps", _dir.File("sweeps")],
                "prompt file /dev/zero is a character device"),
        };
        foreach (var (name, args, expected) in cases)
        {
            var result = RunWithin(MemscanProcess.StartInfo(args), TimeSpan.FromSeconds(60), out long peak, killAbove: PeakBoundBytes);
            Console.WriteLine($"/dev/zero as {name}: exit {result.Code}, peak working set {peak >> 20} MiB");
            Assert.True(result.Code == 2, $"{name}: exit {result.Code}: {result.Stderr}");
            string line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains(expected, line);
            Assert.True(peak < PeakBoundBytes, $"{name}: the scanner grew to {peak >> 20} MiB (bound {PeakBoundBytes >> 20} MiB)");
        }
    }

    [Fact]
    public void Sample_files_are_refused_before_the_model_loads()
    {
        if (!OperatingSystem.IsLinux()) return;
        // A model that fails to load: whichever error comes first says which was checked first.
        string broken = _dir.File("broken.onnx");
        File.WriteAllText(broken, "not an onnx model");
        string members = _dir.File("members.txt");
        File.WriteAllText(members, "a member sample\n");
        string runs = _dir.File("runs");
        var cases = new (string Name, string[] Args, string Expected)[]
        {
            ("--samples-file", ["scan", broken, "--probes", "discoverable", "--samples-file", "/dev/zero", "--runs", runs],
                "samples file /dev/zero is a character device"),
            ("--members", ["scan", broken, "--probes", "mia", "--members", _dir.Path, "--non-members", members, "--runs", runs],
                $"members file {_dir.Path} is a directory"),
            ("--non-members", ["scan", broken, "--probes", "mia", "--members", members, "--non-members", "/dev/null", "--runs", runs],
                "non-members file /dev/null is a character device"),
        };
        foreach (var (name, args, expected) in cases)
        {
            var result = RunWithin(MemscanProcess.StartInfo(args), TimeSpan.FromSeconds(60), out _, killAbove: PeakBoundBytes);
            Assert.True(result.Code == 2, $"{name}: exit {result.Code}: {result.Stderr}");
            string line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains(expected, line);
        }
    }

    /// <summary>A bigram model with a manifest (char tokenizer, canaries, sample files) in a folder of its own.</summary>
    string TinyModel() => TinyScanModel.Write(_dir.File("tiny-" + Guid.NewGuid().ToString("N")[..6])).ModelPath;

    /// <summary>
    /// Runs a process, killing it after <paramref name="limit"/>, and samples its peak working set
    /// (VmHWM, which only grows) every 20 ms while it runs; past <paramref name="killAbove"/> it is
    /// killed at once (a reader of /dev/zero never ends by itself).
    /// </summary>
    static (int Code, string Stdout, string Stderr) RunWithin(ProcessStartInfo start, TimeSpan limit, out long peak, long killAbove = long.MaxValue)
    {
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        peak = 0;
        var watch = Stopwatch.StartNew();
        while (!process.WaitForExit(20))
        {
            try
            {
                process.Refresh();
                peak = Math.Max(peak, process.PeakWorkingSet64);
            }
            catch (InvalidOperationException) { } // exited between the wait and the read
            if (peak > killAbove)
            {
                process.Kill(entireProcessTree: true); // a reader of /dev/zero: the assertion on the peak reports it
                break;
            }
            if (watch.Elapsed > limit)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"{start.FileName} {string.Join(' ', start.ArgumentList)} ran past {limit.TotalSeconds} s");
            }
        }
        process.WaitForExit();
        return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }
}
