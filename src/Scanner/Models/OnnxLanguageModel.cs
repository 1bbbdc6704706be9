using MemScan.Scanner.Manifest;
using MemScan.Scanner.Onnx;

namespace MemScan.Scanner.Models;

/// <summary>
/// A language model in an ONNX file, run by ONNX Runtime. The graph's inputs and outputs decide
/// the mode (see <see cref="OnnxLmBinding"/> for the rules): with state tensors (LSTM h/c, or GPT-2
/// style <c>past_key_values.*</c> → <c>present.*</c> caches whose past length grows) it runs
/// incrementally, feeding only the new tokens; without, each call re-runs the whole history
/// (correct, slower). <c>attention_mask</c> is fed as all ones (rows are never padded: rows batched
/// together have equal history lengths) and <c>position_ids</c> as each token's absolute position.
/// </summary>
public sealed class OnnxLanguageModel : LanguageModel
{
    readonly OnnxSession _session;
    readonly OnnxLmBinding _io;
    /// <summary>True when every output MemScan reads is float, so runs can write into <see cref="_buffers"/>.</summary>
    readonly bool _floatOutputs;
    OutputBuffers? _buffers;

    OnnxLanguageModel(OnnxSession session, OnnxLmBinding io)
    {
        _session = session;
        _io = io;
        var floatOutputs = session.Outputs.Where(o => o.ElementType == OnnxElementType.Float).Select(o => o.Name).ToHashSet();
        _floatOutputs = floatOutputs.Contains(io.Logits) && io.State.All(s => floatOutputs.Contains(s.Output));
        Initial = LmState.Empty(io.State.Length);
    }

    public override int VocabSize => _io.Vocab;
    public override bool Incremental => _io.State.Length > 0;
    public override int? MaxSequenceLength => _io.Context;
    public override string? MaxSequenceLengthSource => _io.ContextSource;
    public override string Name => _session.ModelPath;
    public override LmState Initial { get; }

    /// <summary>
    /// Let ONNX Runtime write outputs into buffers reused across runs (default) instead of
    /// allocating and copying them on every run. Off only to measure the difference (memscan-bench).
    /// </summary>
    public bool ReuseOutputBuffers { get; set; } = true;
    public override string DeviceNote => _session.DeviceNote ?? _session.Device.ToString().ToLowerInvariant();
    /// <summary>How the graph is driven, e.g. "incremental, 4 growing key/value cache tensor(s), attention_mask, position_ids".</summary>
    public string Mode => _io.Describe();

    public static OnnxLanguageModel Open(string path, LmIoSpec? io = null, OnnxSessionOptions? options = null)
    {
        var session = OnnxSession.Open(path, options);
        try
        {
            return new OnnxLanguageModel(session, OnnxLmBinding.Detect(session, io));
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    protected override LmState[] AdvanceBatch(LmState[] states, int[][] tokens, float[][]? tokenLogProbs) =>
        AdvanceBatch(states, tokens, tokenLogProbs, wantedNext: null, topNext: 0);

    protected override LmState[] AdvanceBatch(LmState[] states, int[][] tokens, float[][]? tokenLogProbs, int[][]? wantedNext, int topNext)
    {
        int b = states.Length;
        int history = states[0].History.Length;
        int fed = tokens[0].Length;
        int vocab = _io.Vocab;
        // Without state the model sees history + new tokens; with state only the new tokens.
        int t = Incremental ? fed : history + fed;
        int firstPosition = history + fed - t;
        var ids = new long[b * t];
        for (int r = 0; r < b; r++)
        {
            int at = r * t;
            if (!Incremental) foreach (int id in states[r].History) ids[at++] = id;
            foreach (int id in tokens[r]) ids[at++] = id;
        }
        var inputs = new List<OnnxInput> { OnnxInput.Int64(_io.InputIds, ids, b, t) };
        if (_io.AttentionMask is { } mask)
            inputs.Add(IntegerInput(mask, b, history + fed, _ => 1));
        if (_io.PositionIds is { } positions)
            inputs.Add(IntegerInput(positions, b, t, j => firstPosition + j));
        foreach (var (s, k) in _io.State.Select((s, k) => (s, k)))
            inputs.Add(OnnxInput.Float(s.Input, s.Gather(states.Select(st => st.Tensors[k]).ToArray(), history), s.Shape(b, history)));
        string[] outputNames = [_io.Logits, .. _io.State.Select(s => s.Output)];
        long[][] outputShapes = [[b, t, vocab], .. _io.State.Select(s => s.Shape(b, history + fed))];

        if (_floatOutputs && ReuseOutputBuffers)
        {
            // Performance: ORT writes the outputs into reusable buffers (no per-call allocation of
            // [b, t, vocab] logits, no copy out of ORT's memory). Taken with Interlocked, so a
            // concurrent caller gets its own buffers instead of sharing these.
            var buffers = Interlocked.Exchange(ref _buffers, null) ?? new OutputBuffers();
            try
            {
                var bound = outputNames.Select((name, i) => new OnnxSessionOutput(name, buffers.Get(name, Elements(outputShapes[i])), outputShapes[i])).ToArray();
                bool ran;
                try
                {
                    _session.RunInto(inputs, bound);
                    ran = true;
                }
                catch (MemScanException)
                {
                    // A wrong output shape fails the bound run; the copying run below reports
                    // which output came back with which shape.
                    ran = false;
                }
                if (ran)
                    return Results(states, tokens, tokenLogProbs, wantedNext, topNext, t, bound[0].Buffer, bound.Skip(1).Select(o => o.Buffer).ToArray());
            }
            finally
            {
                _buffers = buffers;
            }
        }

        var outputs = _session.Run(inputs, outputNames);
        var logits = outputs[_io.Logits];
        if (!logits.Shape.SequenceEqual(outputShapes[0]))
            throw new MemScanException($"{_session.ModelPath}: logits came back as [{string.Join(", ", logits.Shape)}], expected [{b}, {t}, {vocab}]");
        foreach (var (s, k) in _io.State.Select((s, k) => (s, k)))
        {
            var expected = outputShapes[k + 1];
            if (!outputs[s.Output].Shape.SequenceEqual(expected))
                throw new MemScanException($"{_session.ModelPath}: state output '{s.Output}' came back as [{string.Join(", ", outputs[s.Output].Shape)}], " +
                                           $"expected [{string.Join(", ", expected)}] after {history} + {fed} tokens");
        }
        return Results(states, tokens, tokenLogProbs, wantedNext, topNext, t, logits.Data, _io.State.Select(s => outputs[s.Output].Data).ToArray());
    }

    /// <summary>New states (and per-token log-probs) from a run's logits [b, t, vocab] and state outputs.</summary>
    LmState[] Results(LmState[] states, int[][] tokens, float[][]? tokenLogProbs, int[][]? wantedNext, int topNext, int t, float[] logits, float[][] stateOutputs)
    {
        int b = states.Length, history = states[0].History.Length, fed = tokens[0].Length, vocab = _io.Vocab;
        var result = new LmState[b];
        // One scratch row for per-token log-probs and wanted-only or top-k answers: only full answers keep a row of their own.
        bool fullRows = wantedNext is null && topNext == 0;
        var row = tokenLogProbs is null && fullRows ? [] : new float[vocab];
        for (int r = 0; r < b; r++)
        {
            if (tokenLogProbs is not null)
                for (int j = 1; j < fed; j++)
                {
                    LogSoftmax(logits.AsSpan(((r * t) + t - fed + j - 1) * vocab, vocab), row);
                    tokenLogProbs[r][j] = row[tokens[r][j]];
                }
            var next = fullRows ? new float[vocab] : row;
            LogSoftmax(logits.AsSpan(((r * t) + t - 1) * vocab, vocab), next);
            var tensors = new float[_io.State.Length][];
            for (int k = 0; k < tensors.Length; k++) tensors[k] = _io.State[k].Scatter(stateOutputs[k], b, r, history + fed);
            result[r] = new LmState
            {
                History = [.. states[r].History, .. tokens[r]],
                Tensors = tensors,
                NextLogProbs = fullRows ? next : [],
                Wanted = wantedNext is null ? null : WantedNextLogProbs.Pick(next, wantedNext[r]),
                Top = topNext == 0 ? null : TopNextLogProbs.Pick(next, topNext),
            };
        }
        return result;
    }

    static long Elements(long[] shape)
    {
        long n = 1;
        foreach (long d in shape) n = checked(n * d);
        return n;
    }

    /// <summary>Grow-only output buffers, one per output name, reused across runs.</summary>
    sealed class OutputBuffers
    {
        readonly Dictionary<string, float[]> _byName = new(StringComparer.Ordinal);

        public float[] Get(string name, long elements)
        {
            if (!_byName.TryGetValue(name, out var buffer) || buffer.Length < elements)
                _byName[name] = buffer = new float[checked((int)elements)];
            return buffer;
        }
    }

    /// <summary>An int64 or int32 [batch, width] input, the same in every row.</summary>
    static OnnxInput IntegerInput(OnnxValueInfo info, int b, int width, Func<int, long> value)
    {
        if (info.ElementType == OnnxElementType.Int32)
        {
            var data = new int[b * width];
            for (int i = 0; i < data.Length; i++) data[i] = (int)value(i % width);
            return OnnxInput.Int32(info.Name, data, b, width);
        }
        var longs = new long[b * width];
        for (int i = 0; i < longs.Length; i++) longs[i] = value(i % width);
        return OnnxInput.Int64(info.Name, longs, b, width);
    }

    public override void Dispose() => _session.Dispose();
}
