using System.Diagnostics;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Models;
using MemScan.Scanner.Onnx;

namespace MemScan.Scanner.Isolation;

/// <summary>
/// A language model run in a child process (<c>memscan host-model</c>). Treats third-party models
/// as hostile: a native crash of ONNX Runtime while loading or running one ends the child, and
/// this side turns it into one clear <see cref="MemScanException"/> instead of taking the scanner
/// (or a sweep over many models, or the TUI) down with it. Costs a copy of each batch through a pipe.
/// </summary>
public sealed class IsolatedLanguageModel : LanguageModel
{
    readonly Process _child;
    readonly HostFrames _frames;
    readonly string _modelPath;
    readonly int _stateTensors;

    IsolatedLanguageModel(Process child, string modelPath, int vocab, bool incremental, int stateTensors, string device, int? context, string? contextSource)
    {
        _child = child;
        _modelPath = modelPath;
        _frames = new HostFrames(child.StandardOutput.BaseStream, child.StandardInput.BaseStream);
        VocabSize = vocab;
        Incremental = incremental;
        _stateTensors = stateTensors;
        DeviceNote = $"{device} (isolated model host)";
        Initial = LmState.Empty(stateTensors);
        MaxSequenceLength = context;
        MaxSequenceLengthSource = contextSource;
    }

    public override int VocabSize { get; }
    public override int? MaxSequenceLength { get; }
    public override string? MaxSequenceLengthSource { get; }
    public override string Name => _modelPath;
    public override bool Incremental { get; }
    public override LmState Initial { get; }
    public override string DeviceNote { get; }

    /// <summary>The child's process id (tests kill it to check crash handling).</summary>
    internal int ChildProcessId => _child.Id;

    public static IsolatedLanguageModel Open(string modelPath, LmIoSpec? io = null, OnnxSessionOptions? options = null)
    {
        options ??= OnnxSessionOptions.Default;
        var start = HostCommandLine(modelPath, io, options);
        var child = Process.Start(start) ?? throw new MemScanException("could not start the model host process");
        // Drain stderr so a chatty runtime cannot block the child; keep the tail for crash reports.
        var stderr = new StderrTail(child);
        var frames = new HostFrames(child.StandardOutput.BaseStream, child.StandardInput.BaseStream);
        try
        {
            var message = (HostMessage)frames.ReadInt();
            if (message == HostMessage.Error) throw new MemScanException(frames.ReadString());
            if (message != HostMessage.Ready) throw new InvalidDataException($"model host said {message}");
            int vocab = frames.ReadInt();
            bool incremental = frames.ReadBool();
            int tensors = frames.ReadInt();
            string device = frames.ReadString();
            int context = frames.ReadInt();
            string contextSource = frames.ReadString();
            return new IsolatedLanguageModel(child, Path.GetFullPath(modelPath), vocab, incremental, tensors, device,
                context == ModelHostServer.NoContext ? null : context, contextSource.Length == 0 ? null : contextSource);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or InvalidDataException)
        {
            throw Crashed(child, stderr, modelPath, "loading");
        }
        catch
        {
            Kill(child);
            throw;
        }
    }

    protected override LmState[] AdvanceBatch(LmState[] states, int[][] tokens, float[][]? tokenLogProbs)
    {
        float[][]? logProbs;
        LmState[] result;
        try
        {
            _frames.WriteInt((int)HostMessage.Advance);
            WriteRequest(_frames, states, tokens, tokenLogProbs is not null);
            _frames.Flush();
            var message = (HostMessage)_frames.ReadInt();
            if (message == HostMessage.Error) throw new MemScanException(_frames.ReadString());
            if (message != HostMessage.Result) throw new InvalidDataException($"model host said {message}");
            (result, logProbs) = ReadResult(_frames, states, tokens, _stateTensors);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or InvalidDataException)
        {
            throw Crashed(_child, null, _modelPath, "running");
        }
        if (tokenLogProbs is not null && logProbs is not null)
            for (int r = 0; r < states.Length; r++)
                Array.Copy(logProbs[r], 1, tokenLogProbs[r], 1, tokenLogProbs[r].Length - 1);
        return result;
    }

    internal static void WriteRequest(HostFrames f, LmState[] states, int[][] tokens, bool wantLogProbs)
    {
        f.WriteInt(states.Length);
        f.WriteBool(wantLogProbs);
        for (int r = 0; r < states.Length; r++)
        {
            f.WriteInts(states[r].History);
            foreach (var t in states[r].Tensors) f.WriteFloats(t);
            f.WriteFloats(states[r].NextLogProbs);
            f.WriteInts(tokens[r]);
        }
    }

    internal static (LmState[] States, int[][] Tokens, bool WantLogProbs) ReadRequest(HostFrames f, int stateTensors)
    {
        int n = f.ReadInt();
        bool want = f.ReadBool();
        var states = new LmState[n];
        var tokens = new int[n][];
        for (int r = 0; r < n; r++)
        {
            var history = f.ReadInts();
            var tensors = new float[stateTensors][];
            for (int k = 0; k < stateTensors; k++) tensors[k] = f.ReadFloats();
            states[r] = new LmState { History = history, Tensors = tensors, NextLogProbs = f.ReadFloats() };
            tokens[r] = f.ReadInts();
        }
        return (states, tokens, want);
    }

    internal static void WriteResult(HostFrames f, LmState[] result, float[][]? logProbs)
    {
        f.WriteInt((int)HostMessage.Result);
        f.WriteBool(logProbs is not null);
        for (int r = 0; r < result.Length; r++)
        {
            foreach (var t in result[r].Tensors) f.WriteFloats(t);
            f.WriteFloats(result[r].NextLogProbs);
            if (logProbs is not null) f.WriteFloats(logProbs[r]);
        }
    }

    static (LmState[], float[][]?) ReadResult(HostFrames f, LmState[] states, int[][] tokens, int stateTensors)
    {
        bool hasLogProbs = f.ReadBool();
        var result = new LmState[states.Length];
        var logProbs = hasLogProbs ? new float[states.Length][] : null;
        for (int r = 0; r < states.Length; r++)
        {
            var tensors = new float[stateTensors][];
            for (int k = 0; k < stateTensors; k++) tensors[k] = f.ReadFloats();
            result[r] = new LmState { History = [.. states[r].History, .. tokens[r]], Tensors = tensors, NextLogProbs = f.ReadFloats() };
            if (logProbs is not null) logProbs[r] = f.ReadFloats();
        }
        return (result, logProbs);
    }

    static ProcessStartInfo HostCommandLine(string modelPath, LmIoSpec? io, OnnxSessionOptions options)
    {
        string assembly = typeof(IsolatedLanguageModel).Assembly.Location;
        string? host = Environment.ProcessPath;
        // Run the same memscan.dll through the same dotnet host (an apphost runs itself).
        var start = host is not null && Path.GetFileNameWithoutExtension(host) == "dotnet"
            ? new ProcessStartInfo(host) { ArgumentList = { assembly } }
            : new ProcessStartInfo("dotnet") { ArgumentList = { assembly } };
        start.ArgumentList.Add("host-model");
        start.ArgumentList.Add(Path.GetFullPath(modelPath));
        start.ArgumentList.Add("--device");
        start.ArgumentList.Add(options.Device == Device.Cuda ? "cuda" : "cpu");
        start.ArgumentList.Add("--threads");
        start.ArgumentList.Add(options.IntraOpThreads.ToString());
        if (io is not null)
        {
            start.ArgumentList.Add("--io");
            start.ArgumentList.Add(System.Text.Json.JsonSerializer.Serialize(io));
        }
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        return start;
    }

    static MemScanException Crashed(Process child, StderrTail? stderr, string modelPath, string doing)
    {
        if (!child.WaitForExit(5000)) Kill(child);
        int code = child.HasExited ? child.ExitCode : -1;
        // .NET reports death by signal N as 128 + N.
        string how = code > 128 ? $"signal {code - 128}" : $"exit code {code}";
        string tail = stderr?.LastLine is { Length: > 0 } line ? $": {line}" : "";
        return new MemScanException($"ONNX Runtime crashed while {doing} {modelPath} ({how}){tail}; the model is corrupt or hostile");
    }

    static void Kill(Process child)
    {
        try { if (!child.HasExited) child.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
    }

    public override void Dispose()
    {
        try
        {
            _frames.WriteInt((int)HostMessage.Quit);
            _frames.Flush();
            if (!_child.WaitForExit(5000)) Kill(_child);
        }
        catch (IOException)
        {
            Kill(_child);
        }
        _child.Dispose();
    }

    /// <summary>Reads the child's stderr in the background, keeping the last non-empty line.</summary>
    sealed class StderrTail
    {
        public string LastLine { get; private set; } = "";
        public StderrTail(Process child)
        {
            child.ErrorDataReceived += (_, e) => { if (!string.IsNullOrWhiteSpace(e.Data)) LastLine = e.Data.Trim(); };
            child.BeginErrorReadLine();
        }
    }
}
