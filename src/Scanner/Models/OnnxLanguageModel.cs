using MemScan.Scanner.Folders;
using MemScan.Scanner.Manifest;
using MemScan.Scanner.Onnx;

namespace MemScan.Scanner.Models;

/// <summary>
/// A language model in an ONNX file, run by ONNX Runtime. The graph's inputs and outputs decide
/// the mode (see <see cref="OnnxLmBinding"/> for the rules): with state tensors (LSTM h/c, or GPT-2
/// style <c>past_key_values.*</c> → <c>present.*</c> caches whose past length grows) it runs
/// incrementally, feeding only the new tokens; without, each call re-runs the whole history
/// (correct, slower). <c>attention_mask</c> is fed as all ones (rows are never padded: rows batched
/// together have equal history lengths), <c>position_ids</c> as each token's absolute position and
/// <c>use_cache_branch</c> as "the past is not empty". A model folder (<see cref="ModelFolder"/>)
/// may hold the decoder / decoder-with-past pair: the first step then runs the decoder without past,
/// every later one the decoder with past. State is kept in the element type the graph declares.
/// </summary>
public sealed partial class OnnxLanguageModel : LanguageModel
{
    readonly OnnxSession _session;
    readonly OnnxLmBinding _io;
    /// <summary>The decoder without past of a two-file pair, run on the first step; null otherwise.</summary>
    readonly OnnxSession? _firstSession;
    readonly OnnxLmBinding? _firstIo;
    /// <summary>
    /// The element type of each output MemScan reads, when every one is floating-point (float,
    /// float16, bfloat16, double) so runs can write into <see cref="_buffers"/> in that type; null otherwise.
    /// </summary>
    readonly Dictionary<string, OnnxElementType>? _outputTypes;
    RunBuffers? _buffers;
    /// <summary>Set once a run's present was not its past with the new positions appended: caches are copied whole from then on.</summary>
    volatile bool _presentRewritesPast;

    OnnxLanguageModel(OnnxSession session, OnnxLmBinding io, OnnxSession? firstSession = null, OnnxLmBinding? firstIo = null)
    {
        _session = session;
        _io = io;
        _firstSession = firstSession;
        _firstIo = firstIo;
        Dictionary<string, OnnxElementType>? OutputTypes(OnnxSession s)
        {
            var types = s.Outputs.Where(o => OnnxTypedArrays.IsFloating(o.ElementType)).ToDictionary(o => o.Name, o => o.ElementType);
            return types.ContainsKey(io.Logits) && io.State.All(st => types.ContainsKey(st.Output)) ? types : null;
        }
        // A two-file pair binds only when both files give each output the same type.
        var types = OutputTypes(session);
        if (types is not null && firstSession is not null && OutputTypes(firstSession) is { } firstTypes &&
            new[] { io.Logits }.Concat(io.State.Select(st => st.Output)).All(n => firstTypes.GetValueOrDefault(n) == types[n]))
            _outputTypes = types;
        else if (firstSession is null)
            _outputTypes = types;
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

    /// <summary>
    /// Take wanted next-token entries and per-token log-probs straight off the logits (entry minus
    /// the row's log-sum-exp; bitwise the same values) instead of writing each row's whole
    /// log-softmax first (default). Off only to measure the difference (memscan-bench kvtree).
    /// </summary>
    public bool PickFromLogits { get; set; } = true;

    /// <summary>
    /// A state keeps only the key/value-cache positions its run added and shares the rest with its
    /// parent (<see cref="KvCacheLink"/>; default), instead of a whole copy of its cache. Only for
    /// a graph whose present is its past with the new positions appended, checked bit for bit on
    /// every row of every run: a row that fails it is copied whole, and the model stops sharing
    /// (<see cref="SharesCaches"/>). Off only to measure the difference (memscan-bench kvtree).
    /// </summary>
    public bool ShareCaches { get; set; } = true;

    /// <summary>True while caches are shared: <see cref="ShareCaches"/>, and no run's present has rewritten its past.</summary>
    public bool SharesCaches => ShareCaches && !_presentRewritesPast;

    /// <summary>
    /// Gather the batch's caches into input buffers reused across runs (default) instead of a new
    /// [batch, heads, history, head_dim] array per state tensor per run. Off only to measure the
    /// difference (memscan-bench kvtree).
    /// </summary>
    public bool ReuseInputBuffers { get; set; } = true;
    public override string DeviceNote => _session.DeviceNote ?? _session.Device.ToString().ToLowerInvariant();
    /// <summary>How the graph is driven, e.g. "incremental, 4 growing key/value cache tensor(s), attention_mask, position_ids".</summary>
    public string Mode => _firstSession is null ? _io.Describe() : $"{_io.Describe()}, first step through {Path.GetFileName(_firstSession.ModelPath)}";

    /// <summary>The graph's inputs and outputs, as ONNX Runtime sees them (for inspect).</summary>
    public IReadOnlyList<OnnxValueInfo> GraphInputs => _session.Inputs;
    public IReadOnlyList<OnnxValueInfo> GraphOutputs => _session.Outputs;

    /// <summary>What MemScan does with a graph input or output, in words (for inspect).</summary>
    public string RoleOf(string name) => _io.RoleOf(name);

    /// <summary>The decoder without past of a pair, or null.</summary>
    public string? FirstStepPath => _firstSession?.ModelPath;

    /// <param name="path">An ONNX file, or a model folder as published (see <see cref="ModelFolder"/>).</param>
    public static OnnxLanguageModel Open(string path, LmIoSpec? io = null, OnnxSessionOptions? options = null)
    {
        if (Directory.Exists(path)) return Open(ModelFolder.Load(path), io, options);
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

    /// <summary>Opens a folder's model: its ONNX file or pair, with the folder's names (genai_config.json) and context (config.json).</summary>
    public static OnnxLanguageModel Open(ModelFolder folder, LmIoSpec? io = null, OnnxSessionOptions? options = null)
    {
        io = folder.MergeIo(io);
        var session = OnnxSession.Open(folder.ModelPath, options);
        OnnxSession? first = null;
        try
        {
            var binding = OnnxLmBinding.Detect(session, io, folder.Context);
            if (folder.FirstStepPath is null) return new OnnxLanguageModel(session, binding);
            first = OnnxSession.Open(folder.FirstStepPath, options);
            return new OnnxLanguageModel(session, binding, first, OnnxLmBinding.DetectFirstStep(first, binding, io));
        }
        catch
        {
            first?.Dispose();
            session.Dispose();
            throw;
        }
    }

    protected override LmState[] AdvanceBatch(LmState[] states, int[][] tokens, float[][]? tokenLogProbs) =>
        AdvanceBatch(states, tokens, tokenLogProbs, wantedNext: null, topNext: 0);

    protected override LmState[] AdvanceBatch(LmState[] states, int[][] tokens, float[][]? tokenLogProbs, int[][]? wantedNext, int topNext)
    {
        int b = states.Length;
        if (_io.StaticBatch && b > 1)
        {
            // A static batch-1 graph takes one row per run: the probes' batches are run row by row.
            var rows = new LmState[b];
            for (int r = 0; r < b; r++)
                rows[r] = AdvanceBatch([states[r]], [tokens[r]], tokenLogProbs is null ? null : [tokenLogProbs[r]],
                    wantedNext is null ? null : [wantedNext[r]], topNext)[0];
            return rows;
        }
        // Performance: ORT reads the gathered caches from, and writes the outputs into, buffers
        // reused across runs. Taken with Interlocked for the whole run (the outputs are read after
        // it, the gathered past to check the present), so a concurrent caller gets its own.
        var buffers = Interlocked.Exchange(ref _buffers, null) ?? new RunBuffers();
        try
        {
            return AdvanceBatch(states, tokens, tokenLogProbs, wantedNext, topNext, buffers);
        }
        finally
        {
            _buffers = buffers;
        }
    }

    LmState[] AdvanceBatch(LmState[] states, int[][] tokens, float[][]? tokenLogProbs, int[][]? wantedNext, int topNext, RunBuffers buffers)
    {
        int b = states.Length;
        int history = states[0].History.Length;
        int fed = tokens[0].Length;
        int vocab = _io.Vocab;
        // The first step of a two-file pair runs the decoder without past; it returns the presents.
        bool firstStep = history == 0 && _firstSession is not null;
        var session = firstStep ? _firstSession! : _session;
        var io = firstStep ? _firstIo! : _io;
        // Without state the model sees history + new tokens; with state only the new tokens.
        int t = Incremental ? fed : history + fed;
        var (inputs, pasts) = Inputs(io, states, tokens, firstStep, t, buffers);
        string[] outputNames = [_io.Logits, .. _io.State.Select(s => s.Output)];
        long[][] outputShapes = [[b, t, vocab], .. _io.State.Select(s => s.Shape(b, history + fed))];

        if (_outputTypes is not null && ReuseOutputBuffers)
        {
            // Performance: ORT writes the outputs into reusable buffers (no per-call allocation of
            // [b, t, vocab] logits, no copy out of ORT's memory).
            var bound = outputNames.Select((name, i) => new OnnxSessionOutput(name, buffers.Output(name, _outputTypes[name], Elements(outputShapes[i])), outputShapes[i])).ToArray();
            bool ran;
            try
            {
                session.RunInto(inputs, bound);
                ran = true;
            }
            catch (MemScanException)
            {
                // A wrong output shape fails the bound run; the copying run below reports
                // which output came back with which shape.
                ran = false;
            }
            if (ran)
                return Results(states, tokens, tokenLogProbs, wantedNext, topNext, t, bound[0].Buffer, bound.Skip(1).Select(o => o.Buffer).ToArray(), pasts);
        }

        // Each output in its own element type: a float16 cache is kept as float16, logits of any
        // floating type are widened row by row for the log-softmax.
        var outputs = session.RunTyped(inputs, outputNames);
        var logits = outputs[_io.Logits];
        if (!logits.Shape.SequenceEqual(outputShapes[0]))
            throw new MemScanException($"{session.ModelPath}: logits came back as [{string.Join(", ", logits.Shape)}], expected [{b}, {t}, {vocab}]");
        foreach (var (s, k) in _io.State.Select((s, k) => (s, k)))
        {
            var expected = outputShapes[k + 1];
            var got = outputs[s.Output];
            if (!got.Shape.SequenceEqual(expected))
                throw new MemScanException($"{session.ModelPath}: state output '{s.Output}' came back as [{string.Join(", ", got.Shape)}], " +
                                           $"expected [{string.Join(", ", expected)}] after {history} + {fed} tokens");
            if (got.ElementType != s.ElementType)
                throw new MemScanException($"{session.ModelPath}: state output '{s.Output}' came back as {got.ElementType.ToOnnxString()}, " +
                                           $"but {s.Input} takes {s.ElementType.ToOnnxString()}");
        }
        return Results(states, tokens, tokenLogProbs, wantedNext, topNext, t, logits.Data, _io.State.Select(s => outputs[s.Output].Data).ToArray(), pasts);
    }

    /// <summary>
    /// The graph inputs of one run: token ids [b, t] (with the history too when the model keeps no
    /// state), all-ones mask, absolute positions, cache branch, and the states' tensors unless this
    /// is the first step of a two-file pair.
    /// </summary>
    List<OnnxInput> Inputs(OnnxLmBinding io, LmState[] states, int[][] tokens, bool firstStep, int t) =>
        Inputs(io, states, tokens, firstStep, t, new RunBuffers()).Inputs;

    (List<OnnxInput> Inputs, Array[] Pasts) Inputs(OnnxLmBinding io, LmState[] states, int[][] tokens, bool firstStep, int t, RunBuffers buffers)
    {
        int b = states.Length, history = states[0].History.Length, fed = tokens[0].Length;
        int firstPosition = history + fed - t;
        var ids = new long[b * t];
        for (int r = 0; r < b; r++)
        {
            int at = r * t;
            if (!Incremental) foreach (int id in states[r].History) ids[at++] = id;
            foreach (int id in tokens[r]) ids[at++] = id;
        }
        var inputs = new List<OnnxInput> { OnnxInput.Int64(io.InputIds, ids, b, t) };
        if (io.AttentionMask is { } mask)
            inputs.Add(MaskInput(mask, b, history + fed));
        if (io.PositionIds is { } positions)
            inputs.Add(IntegerInput(positions, b, t, j => firstPosition + j));
        if (io.CacheBranch is { } branch)
            inputs.Add(OnnxInput.Bool(branch.Name, [history > 0], branch.Rank == 0 ? [] : [1]));
        // The caches gathered in (kept to check each row's present against; none on a pair's first step).
        var pasts = new Array[firstStep ? 0 : _io.State.Length];
        for (int k = 0; k < pasts.Length; k++)
        {
            var s = _io.State[k];
            long elements = s.PerSequence(history) * b;
            pasts[k] = ReuseInputBuffers ? buffers.Input(s.Input, s.ElementType, elements) : OnnxTypedArrays.Create(s.ElementType, elements);
            s.GatherInto(pasts[k], states, k, history);
            inputs.Add(OnnxInput.TypedBuffer(s.Input, pasts[k], s.ElementType, s.Shape(b, history)));
        }
        return (inputs, pasts);
    }

    /// <summary>New states (and per-token log-probs) from a run's logits [b, t, vocab] and state outputs (<paramref name="pasts"/>: the caches fed in).</summary>
    LmState[] Results(LmState[] states, int[][] tokens, float[][]? tokenLogProbs, int[][]? wantedNext, int topNext, int t, Array logits, Array[] stateOutputs, Array[] pasts)
    {
        int b = states.Length, history = states[0].History.Length, fed = tokens[0].Length, vocab = _io.Vocab;
        var result = new LmState[b];
        // Wanted entries and per-token log-probs are taken straight off the logits (entry minus the
        // row's log-sum-exp, bitwise the log-softmax row's entry): no row is written for them. One
        // scratch row serves the top-k answers (and the path before, PickFromLogits = false); only
        // full answers keep a row of their own.
        bool pick = PickFromLogits;
        bool fullRows = wantedNext is null && topNext == 0;
        bool rowForTokens = tokenLogProbs is not null && !pick, rowForNext = !fullRows && !(wantedNext is not null && pick);
        var row = rowForTokens || rowForNext ? new float[vocab] : [];
        // Logits that are not float are widened one row at a time into this buffer.
        var floatLogits = logits as float[];
        var widened = floatLogits is null ? new float[vocab] : [];
        ReadOnlySpan<float> Logits(long offset)
        {
            if (floatLogits is not null) return floatLogits.AsSpan(checked((int)offset), vocab);
            OnnxTypedArrays.ToFloat(logits, offset, widened);
            return widened;
        }
        for (int r = 0; r < b; r++)
        {
            if (tokenLogProbs is not null)
                for (int j = 1; j < fed; j++)
                {
                    var rowLogits = Logits(((long)(r * t) + t - fed + j - 1) * vocab);
                    if (pick)
                    {
                        tokenLogProbs[r][j] = rowLogits[tokens[r][j]] - RowLogSumExp.Of(rowLogits);
                        continue;
                    }
                    LogSoftmax(rowLogits, row);
                    tokenLogProbs[r][j] = row[tokens[r][j]];
                }
            var lastLogits = Logits(((long)(r * t) + t - 1) * vocab);
            WantedNextLogProbs? wanted = null;
            float[] next = [];
            if (wantedNext is not null && pick) wanted = RowLogSumExp.Pick(lastLogits, wantedNext[r]);
            else
            {
                next = fullRows ? new float[vocab] : row;
                LogSoftmax(lastLogits, next);
                if (wantedNext is not null) wanted = WantedNextLogProbs.Pick(next, wantedNext[r]);
            }
            var (tensors, cache) = KeptState(states[r], b, r, history, fed, stateOutputs, pasts);
            result[r] = new LmState
            {
                History = [.. states[r].History, .. tokens[r]],
                Tensors = tensors,
                Cache = cache,
                NextLogProbs = fullRows ? next : [],
                Wanted = wanted,
                Top = topNext == 0 ? null : TopNextLogProbs.Pick(next, topNext),
            };
        }
        return result;
    }

    /// <summary>
    /// Row <paramref name="r"/>'s state tensors after a run, and its cache link when the caches are
    /// shared: only the <paramref name="fed"/> positions the run added are copied, linked to the
    /// parent's link, when every growing cache of the row begins bit for bit with the past fed in
    /// (checked here, every row of every run: a graph may rewrite its past, and a hostile one may
    /// do so for one row only). A chain past <see cref="KvCacheLink.MaxDepth"/> links is flattened
    /// (the row's whole cache copied into a new first link) so a later gather copies O(history).
    /// </summary>
    (Array[] Tensors, KvCacheLink? Cache) KeptState(LmState parent, int b, int r, int history, int fed, Array[] stateOutputs, Array[] pasts)
    {
        var state = _io.State;
        int total = history + fed;
        var tensors = new Array[state.Length];
        var parentLink = parent.Cache;
        bool share = SharesCaches && state.Any(s => s.Grows) && (history == 0 || parentLink is not null);
        if (share && history > 0)
            for (int k = 0; k < state.Length && share; k++)
                if (state[k].Grows && !state[k].AppendsToPast(stateOutputs[k], pasts[k], b, r, history, total))
                {
                    share = false;
                    _presentRewritesPast = true;
                }
        if (!share)
        {
            for (int k = 0; k < state.Length; k++) tensors[k] = state[k].Scatter(stateOutputs[k], b, r, total);
            return (tensors, null);
        }
        // A new chain (first step, or past the depth bound) holds every position; a link, the new ones.
        if (parentLink is not null && parentLink.Depth >= KvCacheLink.MaxDepth) parentLink = null;
        int from = parentLink is null ? 0 : history;
        var own = new Array[state.Length];
        for (int k = 0; k < state.Length; k++)
        {
            tensors[k] = state[k].Scatter(stateOutputs[k], b, r, state[k].Grows ? from : 0, total);
            own[k] = state[k].Grows ? tensors[k] : Array.Empty<float>();
        }
        return (tensors, new KvCacheLink(parentLink, own, total - from));
    }

    /// <summary>
    /// Counted bytes of one row of a run: logits of every position the graph sees (in their own
    /// type, and the float row each log-softmax writes), the caches gathered in, the caches written
    /// out and their per-row copies kept by the new state. ONNX Runtime's own intermediates
    /// (attention scores, activations) are not counted: they are freed within the run.
    /// </summary>
    public override long RunBytesPerRow(int history, int fed)
    {
        long positions = Incremental ? fed : (long)history + fed;
        long bytes = positions * _io.Vocab * RunElementBytes(_io.LogitsType) + (long)_io.Vocab * sizeof(float);
        foreach (var s in _io.State)
            bytes += (s.PerSequence(history) + 2 * s.PerSequence(history + fed)) * RunElementBytes(s.ElementType);
        return bytes;
    }

    static int ElementBytes(OnnxElementType type) => OnnxTypedArrays.ElementBytes(OnnxTypedArrays.Create(type, 0));

    /// <summary>
    /// Bytes a run holds per element of a tensor it reads or writes in <paramref name="type"/>.
    /// ONNX Runtime's CPU kernels have no float16 GEMM or attention on x64: it casts float16 caches
    /// in and computes logits and presents in float before casting them out, so each such tensor
    /// has a float twin during the run. Counted at 2 bytes, a float16 model's runs took twice the
    /// rows and peaked 28 % above float32's (exposure on the 124M model, 1,576 vs 1,232 MiB).
    /// </summary>
    int RunElementBytes(OnnxElementType type) =>
        ElementBytes(type) + (CountsFloatTwins && type is (OnnxElementType.Float16 or OnnxElementType.BFloat16) && _session.Device == Device.Cpu ? sizeof(float) : 0);

    /// <summary>Counts the float twin of a half-precision element (above); off only for the bench's before/after.</summary>
    internal bool CountsFloatTwins { get; set; } = true;

    static long Elements(long[] shape)
    {
        long n = 1;
        foreach (long d in shape) n = checked(n * d);
        return n;
    }

    /// <summary>Bytes of the reused output buffers (logits and state outputs): what the logits path holds between runs.</summary>
    public long OutputBufferBytes => _buffers?.OutputBytes ?? 0;

    /// <summary>Bytes of the reused input buffers (the batch's gathered caches).</summary>
    public long InputBufferBytes => _buffers?.InputBytes ?? 0;

    /// <summary>
    /// Grow-only buffers reused across runs, one per output name and one per gathered state input,
    /// each in the tensor's own element type.
    /// </summary>
    sealed class RunBuffers
    {
        readonly Dictionary<string, Array> _outputs = new(StringComparer.Ordinal), _inputs = new(StringComparer.Ordinal);

        public Array Output(string name, OnnxElementType type, long elements) => Get(_outputs, name, type, elements);
        public Array Input(string name, OnnxElementType type, long elements) => Get(_inputs, name, type, elements);

        static Array Get(Dictionary<string, Array> byName, string name, OnnxElementType type, long elements)
        {
            if (!byName.TryGetValue(name, out var buffer) || buffer.Length < elements || buffer.GetType().GetElementType() != OnnxTypedArrays.ClrType(type))
                byName[name] = buffer = OnnxTypedArrays.Create(type, checked((int)elements));
            return buffer;
        }

        public long OutputBytes => Bytes(_outputs);
        public long InputBytes => Bytes(_inputs);
        static long Bytes(Dictionary<string, Array> byName) => byName.Values.Sum(b => (long)b.Length * OnnxTypedArrays.ElementBytes(b));
    }

    /// <summary>An attention mask of ones [batch, width] in the mask's own type (int64, int32, bool or float).</summary>
    static OnnxInput MaskInput(OnnxValueInfo info, int b, int width) => info.ElementType switch
    {
        OnnxElementType.Bool => OnnxInput.Bool(info.Name, Enumerable.Repeat(true, b * width).ToArray(), b, width),
        OnnxElementType.Float => OnnxInput.Float(info.Name, Enumerable.Repeat(1f, b * width).ToArray(), b, width),
        OnnxElementType.Float16 => OnnxInput.Typed(info.Name, Enumerable.Repeat((Microsoft.ML.OnnxRuntime.Float16)1f, b * width).ToArray(), OnnxElementType.Float16, b, width),
        _ => IntegerInput(info, b, width, _ => 1),
    };

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

    public override void Dispose()
    {
        _firstSession?.Dispose();
        _session.Dispose();
    }
}
