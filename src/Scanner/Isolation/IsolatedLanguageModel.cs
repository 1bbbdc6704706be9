using System.Diagnostics;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Models;
using MemScan.Scanner.Onnx;

namespace MemScan.Scanner.Isolation;

/// <summary>
/// A language model run in a child process (<c>memscan host-model</c>). Treats third-party models
/// as hostile: a native crash of ONNX Runtime while loading or running one ends the child, and
/// this side turns it into one clear <see cref="MemScanException"/> instead of taking the scanner
/// (or a sweep over many models, or the TUI) down with it; so is an answer that does not fit the
/// question (wrong lengths), after which the child is killed.
/// </summary>
/// <remarks>
/// Performance: the model's states (LSTM h/c, KV caches) stay in the child, which keeps them under
/// handles this side picks (<see cref="HostStateTable"/>); the <see cref="LmState"/>s handed to the
/// probes carry only the handle, history and next-token log-probs. Per row, a request is a handle
/// and the tokens, an answer the log-probs: only those of the next tokens the probe names, when it
/// names them (a tree search reads a node's children, not a GPT's 50,257-token row), or the ids
/// and log-probs of the k most likely when a decoder asks for those. A whole decoding loop is one
/// request for the batch (<see cref="DecodeLoop"/>), not one per generated token. States the
/// probes drop are released with a later request (<see cref="HostStateHandles"/>).
/// docs/PERFORMANCE.md has the before/after.
/// </remarks>
public sealed class IsolatedLanguageModel : LanguageModel
{
    /// <summary>The child, or null when a test speaks to a fake host over its own pipes.</summary>
    readonly Process? _child;
    readonly StderrTail? _stderr;
    readonly HostFrames _frames;
    readonly HostStateHandles _handles = new();
    readonly string _modelPath;
    /// <summary>The child's bound on held states; past half of it this side looks harder for dropped states.</summary>
    readonly long _maxStateBytes;
    /// <summary>One request at a time on the pipe.</summary>
    readonly Lock _gate = new();
    long _collectAboveBytes;
    long _heldBytes;
    /// <summary>Past this many bytes held in the host, a young collection here looks for dropped states (<see cref="BeginRequest"/>).</summary>
    long _sweepAboveBytes;
    bool _sweptThisRequest;
    /// <summary>Set once the host crashed or misbehaved: every later call fails with the same message.</summary>
    MemScanException? _failed;

    IsolatedLanguageModel(Process? child, StderrTail? stderr, HostFrames frames, string modelPath, HostReady ready)
    {
        _child = child;
        _stderr = stderr;
        _frames = frames;
        _modelPath = modelPath;
        VocabSize = ready.Vocab;
        Incremental = ready.Incremental;
        DeviceNote = $"{ready.Device} (isolated model host)";
        MaxSequenceLength = ready.Context;
        MaxSequenceLengthSource = ready.ContextSource;
        _maxStateBytes = ready.MaxStateBytes;
        _collectAboveBytes = ready.MaxStateBytes / 2;
        Initial = new LmState { History = [], Tensors = [], NextLogProbs = [], HostOwner = _handles, HostHandle = HostStateTable.InitialHandle };
    }

    public override int VocabSize { get; }
    public override int? MaxSequenceLength { get; }
    public override string? MaxSequenceLengthSource { get; }
    public override string Name => _modelPath;
    public override bool Incremental { get; }
    public override LmState Initial { get; }
    public override string DeviceNote { get; }

    /// <summary>The child's process id (tests kill it to check crash handling).</summary>
    internal int ChildProcessId => _child?.Id ?? throw new InvalidOperationException("no child process");

    /// <summary>States handed out and not yet released to the host (tests check release).</summary>
    internal int LiveStates { get { lock (_gate) return _handles.Live; } }

    long _hostLargestRunBytes;

    /// <summary>The most bytes one model run in the host took, as the host counted them (tests check it obeys the budget it was given).</summary>
    internal long HostLargestRunBytes { get { lock (_gate) return _hostLargestRunBytes; } }

    /// <summary>Bytes of states the host said it holds after the last request (tests check release).</summary>
    internal long HostHeldBytes { get { lock (_gate) return _heldBytes; } }

    /// <param name="maxStateBytes">Bound on the states the child keeps (default: <paramref name="memoryBudget"/>, else half the memory available to it).</param>
    /// <param name="memoryBudget">The scan's --memory-budget, obeyed by the child: its held states and, a share of it, each of its runs.</param>
    public static IsolatedLanguageModel Open(string modelPath, LmIoSpec? io = null, OnnxSessionOptions? options = null, long? maxStateBytes = null, long? memoryBudget = null)
    {
        options ??= OnnxSessionOptions.Default;
        var start = HostCommandLine(modelPath, io, options, maxStateBytes, memoryBudget);
        var child = Process.Start(start) ?? throw new MemScanException("could not start the model host process");
        // Drain stderr so a chatty runtime cannot block the child; keep the tail for crash reports.
        var stderr = new StderrTail(child);
        PipeCapacity.TryEnlarge(child.StandardOutput.BaseStream);
        var frames = new HostFrames(child.StandardOutput.BaseStream, child.StandardInput.BaseStream);
        string fullPath = Path.GetFullPath(modelPath);
        try
        {
            return new IsolatedLanguageModel(child, stderr, frames, fullPath, HostReady.Read(frames));
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or InvalidDataException)
        {
            throw Failure(child, stderr, fullPath, "loading", e);
        }
        catch
        {
            Kill(child);
            throw;
        }
    }

    /// <summary>A model served by whatever answers on these streams (tests: a fake, misbehaving host).</summary>
    internal static IsolatedLanguageModel Connect(Stream fromHost, Stream toHost, string name)
    {
        var frames = new HostFrames(fromHost, toHost);
        return new IsolatedLanguageModel(null, null, frames, name, HostReady.Read(frames));
    }

    protected override LmState[] AdvanceBatch(LmState[] states, int[][] tokens, float[][]? tokenLogProbs) =>
        AdvanceBatch(states, tokens, tokenLogProbs, wantedNext: null, topNext: 0);

    /// <summary>
    /// With <paramref name="wantedNext"/>, the host answers only those tokens' log-probs per row, not
    /// the vocabulary; with <paramref name="topNext"/>, only the ids and log-probs of that many most
    /// likely tokens per row, picked in the host and checked here for count, range, uniqueness and order.
    /// </summary>
    protected override LmState[] AdvanceBatch(LmState[] states, int[][] tokens, float[][]? tokenLogProbs, int[][]? wantedNext, int topNext)
    {
        lock (_gate)
        {
            var handles = BeginRequest(states);
            var request = new AdvanceRequest(handles, tokens, _handles.Next, tokenLogProbs is not null, _handles.TakeReleases(), wantedNext, topNext);
            var answer = Exchange(() =>
            {
                HostProtocol.WriteRequest(_frames, request);
                ReadResultMessage();
                return HostProtocol.ReadResult(_frames, request, VocabSize);
            });
            Held(answer.HeldBytes);
            _hostLargestRunBytes = answer.LargestRunBytes;
            var result = new LmState[states.Length];
            for (int r = 0; r < result.Length; r++)
            {
                result[r] = new LmState
                {
                    History = [.. states[r].History, .. tokens[r]],
                    Tensors = [],
                    NextLogProbs = wantedNext is null && answer.TopTokens is null ? answer.NextLogProbs[r] : [],
                    Wanted = wantedNext is null ? null : new WantedNextLogProbs(wantedNext[r], answer.NextLogProbs[r]),
                    Top = answer.TopTokens is null ? null : new TopNextLogProbs(answer.TopTokens[r], answer.NextLogProbs[r]),
                    HostOwner = _handles,
                    HostHandle = request.FirstNewHandle + r,
                };
                // Index 0 is the caller's to fill from the previous state.
                if (tokenLogProbs is not null) answer.TokenLogProbs![r].AsSpan(1).CopyTo(tokenLogProbs[r].AsSpan(1));
            }
            _handles.Track(result);
            return result;
        }
    }

    /// <summary>
    /// When false, decoding loops go token by token through Advance, one pipe round trip per
    /// generated token: the path before loops ran in the host, kept for the bench's before/after.
    /// </summary>
    internal bool HostLoops { get; set; } = true;

    /// <summary>
    /// The whole loop in ONE request: the host runs it (<see cref="PerTokenDecoding"/>, the same code
    /// as in process, on the same batches) and answers only the tokens and their log-probs, checked
    /// here for counts, vocabulary and sign. Its intermediate states never get a handle.
    /// </summary>
    protected override DecodeResult DecodeLoop(DecodeRequest request)
    {
        if (!HostLoops) return base.DecodeLoop(request);
        lock (_gate)
        {
            var handles = BeginRequest(request.States);
            var loop = new DecodeLoopRequest(handles, [.. request.Feed], request.Tokens, request.Sampling, MaxBatch, _handles.TakeReleases());
            var (result, held, largestRun) = Exchange(() =>
            {
                HostDecodeProtocol.WriteRequest(_frames, loop);
                ReadResultMessage();
                return HostDecodeProtocol.ReadResult(_frames, loop, VocabSize);
            });
            Held(held);
            _hostLargestRunBytes = largestRun;
            CountDecodeLoop(request);
            return result;
        }
    }

    /// <summary>The scoring loop run in the host (<see cref="HostLoops"/>): two numbers a position come back, not a vocabulary-wide row.</summary>
    protected override PositionScores[] ScorePositionsLoop(IReadOnlyList<int[]> sequences)
    {
        if (!HostLoops) return base.ScorePositionsLoop(sequences);
        lock (_gate)
        {
            BeginRequest([]);
            var request = new ScoringLoopRequest([.. sequences], MaxBatch, _handles.TakeReleases());
            var (scores, held, largestRun) = Exchange(() =>
            {
                HostScoringProtocol.WriteRequest(_frames, request);
                ReadResultMessage();
                return HostScoringProtocol.ReadResult(_frames, request);
            });
            Held(held);
            _hostLargestRunBytes = largestRun;
            CountScoringLoop(sequences);
            return scores;
        }
    }

    /// <summary>The least the host holds before this side collects young objects to find dropped states.</summary>
    internal long SweepFloorBytes { get; set; } = 64L << 20;

    /// <summary>Refuses work after a failure, makes sure dropped states get released, and maps states to handles.</summary>
    /// <remarks>
    /// Dropped states are found only after a collection on this side, and a probe through the host
    /// allocates little here: a 4x256 GPT's exact-rank tree ran 16,857 rows on one gen-0 collection
    /// while the host kept every dropped state's KV cache (1 GB at the most, docs/PERFORMANCE.md).
    /// So once the host holds more than twice what it held after the last sweep (and at least
    /// <see cref="SweepFloorBytes"/>), a collection of the young generations here finds the states
    /// dropped since; a full collection stays for a host past half its bound.
    /// </remarks>
    long[] BeginRequest(IReadOnlyList<LmState> states)
    {
        if (_failed is not null) throw new MemScanException(_failed.Message, _failed);
        var handles = states.Select(HandleOf).ToArray();
        if (_heldBytes > _collectAboveBytes)
        {
            // The host is filling up: make sure every state the probes dropped is released now.
            _handles.CollectDropped();
            _collectAboveBytes = Math.Max(_maxStateBytes / 2, 2 * _heldBytes);
            _sweptThisRequest = true;
        }
        else if (_heldBytes > Math.Max(_sweepAboveBytes, SweepFloorBytes))
        {
            _handles.CollectYoung();
            _sweptThisRequest = true;
        }
        return handles;
    }

    /// <summary>What the host said it holds after a request; after a sweep, the next sweep waits for twice that.</summary>
    void Held(long bytes)
    {
        _heldBytes = bytes;
        if (!_sweptThisRequest) return;
        _sweepAboveBytes = 2 * bytes;
        _sweptThisRequest = false;
    }

    /// <summary>One request and its answer; a host that went away or answered nonsense breaks the model for good.</summary>
    T Exchange<T>(Func<T> talk)
    {
        try
        {
            return talk();
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or InvalidDataException)
        {
            _failed = Failure(_child, _stderr, _modelPath, "running", e);
            throw _failed;
        }
    }

    /// <summary>Reads the answer's kind: an error the host reports is passed on (the model stays usable), anything but a result is nonsense.</summary>
    void ReadResultMessage()
    {
        var message = (HostMessage)_frames.ReadInt();
        if (message == HostMessage.Error) throw new MemScanException(_frames.ReadString());
        if (message != HostMessage.Result) throw new InvalidDataException($"model host said {message} instead of a result");
    }

    long HandleOf(LmState state) => ReferenceEquals(state.HostOwner, _handles)
        ? state.HostHandle
        : throw new ArgumentException($"a model state not made by this isolated model ({_modelPath}) was passed to it");

    static ProcessStartInfo HostCommandLine(string modelPath, LmIoSpec? io, OnnxSessionOptions options, long? maxStateBytes, long? memoryBudget)
    {
        var start = SelfProcess.StartInfo(["host-model"]);
        start.ArgumentList.Add(Path.GetFullPath(modelPath));
        start.ArgumentList.Add("--device");
        start.ArgumentList.Add(DeviceNames.NameOf(options.Device));
        start.ArgumentList.Add("--threads");
        start.ArgumentList.Add(options.IntraOpThreads.ToString());
        if (io is not null)
        {
            start.ArgumentList.Add("--io");
            start.ArgumentList.Add(System.Text.Json.JsonSerializer.Serialize(io));
        }
        if (maxStateBytes is { } max)
        {
            start.ArgumentList.Add("--max-state-bytes");
            start.ArgumentList.Add(max.ToString());
        }
        if (memoryBudget is { } budget)
        {
            start.ArgumentList.Add("--memory-budget");
            start.ArgumentList.Add(budget.ToString());
        }
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        return start;
    }

    /// <summary>
    /// One clear error for a host that died (crash, abort, kill) or answered nonsense. A host that
    /// is still running after nonsense is killed: nothing it says can be trusted any more.
    /// </summary>
    static MemScanException Failure(Process? child, StderrTail? stderr, string modelPath, string doing, Exception cause)
    {
        bool malformed = cause is InvalidDataException;
        if (child is null)
            return new MemScanException($"the model host for {modelPath} {(malformed ? $"sent a malformed answer while {doing} ({cause.Message})" : $"went away while {doing}")}; the model is corrupt or hostile", cause);
        bool exited = child.WaitForExit(malformed ? 200 : 5000);
        if (!exited)
        {
            Kill(child);
            child.WaitForExit(5000);
        }
        string tail = stderr?.LastLine is { Length: > 0 } line ? $": {line}" : "";
        if (malformed && !exited)
            return new MemScanException($"the model host for {modelPath} sent a malformed answer while {doing} ({cause.Message}) and was stopped; the model is corrupt or hostile", cause);
        int code = child.HasExited ? child.ExitCode : -1;
        if (exited && ProcessDeaths.Killed(code))
            return new MemScanException(ProcessDeaths.KilledMessage($"the model host for {modelPath}", doing, modelPath), cause);
        // .NET reports death by signal N as 128 + N.
        string how = code > 128 ? $"signal {code - 128}" : $"exit code {code}";
        return new MemScanException($"ONNX Runtime crashed while {doing} {modelPath} ({how}){tail}; the model is corrupt or hostile", cause);
    }

    static void Kill(Process child)
    {
        try { if (!child.HasExited) child.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
    }

    public override void Dispose()
    {
        lock (_gate)
        {
            _handles.Dispose();
            if (_child is null) return;
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
