using MemScan.Scanner.Manifest;
using MemScan.Scanner.Onnx;

namespace MemScan.Scanner.Models;

/// <summary>
/// A language model in an ONNX file, run by ONNX Runtime. With recurrent state tensors (named in
/// the manifest, or guessed: a float input such as h0 whose output is hn) it runs incrementally;
/// without, each call re-runs the whole history (correct, slower).
/// </summary>
public sealed class OnnxLanguageModel : LanguageModel
{
    /// <summary>A state tensor: fed as Input, read back as Output; the batch axis holds the sequences.</summary>
    sealed record StateTensor(string Input, string Output, long[] Dims, int BatchAxis)
    {
        public long Outer => Dims.Take(BatchAxis).Aggregate(1L, (a, b) => a * b);
        public long Inner => Dims.Skip(BatchAxis + 1).Aggregate(1L, (a, b) => a * b);
        public long PerSequence => Outer * Inner;
    }

    readonly OnnxSession _session;
    readonly string _inputIds, _logits;
    readonly StateTensor[] _state;
    readonly int _vocab;

    OnnxLanguageModel(OnnxSession session, string inputIds, string logits, StateTensor[] state, int vocab)
    {
        _session = session;
        _inputIds = inputIds;
        _logits = logits;
        _state = state;
        _vocab = vocab;
        Initial = LmState.Empty(state.Length);
    }

    public override int VocabSize => _vocab;
    public override bool Incremental => _state.Length > 0;
    public override LmState Initial { get; }
    public string DeviceNote => _session.DeviceNote ?? _session.Device.ToString();

    public static OnnxLanguageModel Open(string path, LmIoSpec? io = null, OnnxSessionOptions? options = null)
    {
        var session = OnnxSession.Open(path, options);
        try
        {
            return Create(session, io);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    static OnnxLanguageModel Create(OnnxSession session, LmIoSpec? io)
    {
        var inputs = session.Inputs.ToDictionary(i => i.Name);
        var outputs = session.Outputs.ToDictionary(o => o.Name);
        string Describe() => $"inputs are {string.Join(", ", session.Inputs.Select(i => i.ToString()))}; outputs are {string.Join(", ", session.Outputs.Select(o => o.ToString()))}";

        string inputIds = io?.InputIds ?? session.Inputs.FirstOrDefault(i => i.ElementType is OnnxElementType.Int64 or OnnxElementType.Int32 && i.Dims?.Count == 2)?.Name ?? "";
        string logits = io?.Logits ?? session.Outputs.FirstOrDefault(o => o.Dims?.Count == 3)?.Name ?? "";
        if (!inputs.TryGetValue(inputIds, out var idsInfo) || idsInfo.Dims?.Count != 2 || idsInfo.ElementType != OnnxElementType.Int64)
            throw new MemScanException($"{session.ModelPath} is not a language model: expected int64 token ids [batch, seq]; {Describe()}");
        if (!outputs.TryGetValue(logits, out var logitsInfo) || logitsInfo.Dims is not { Count: 3 } logitsDims || logitsDims[2].Value is not long vocab)
            throw new MemScanException($"{session.ModelPath} is not a language model: expected logits [batch, seq, vocab] with a fixed vocab; {Describe()}");

        var pairs = io?.State is { Count: > 0 } named ? named : GuessStatePairs(session);
        var state = new List<StateTensor>();
        foreach (var pair in pairs)
        {
            if (!inputs.TryGetValue(pair.Input, out var inInfo) || !outputs.ContainsKey(pair.Output))
                throw new MemScanException($"{session.ModelPath}: state tensor pair {pair.Input} → {pair.Output} not found; {Describe()}");
            var dims = inInfo.Dims ?? [];
            int batchAxis = dims.ToList().FindIndex(d => d.IsSymbolic);
            if (batchAxis < 0 || dims.Where((d, i) => i != batchAxis).Any(d => !d.IsFixed))
                throw new MemScanException($"{session.ModelPath}: state input {inInfo} needs one symbolic batch axis and fixed other dims");
            state.Add(new StateTensor(pair.Input, pair.Output, dims.Select(d => d.Value ?? 0).ToArray(), batchAxis));
        }
        var unfed = session.Inputs.Where(i => i.Name != inputIds && state.All(s => s.Input != i.Name)).ToList();
        if (unfed.Count > 0)
            throw new MemScanException($"{session.ModelPath}: MemScan does not know what to feed input(s) {string.Join(", ", unfed)}; name them in a model profile");
        return new OnnxLanguageModel(session, inputIds, logits, state.ToArray(), (int)vocab);
    }

    /// <summary>Float inputs X with an output of the same shape named like X with in→out, 0→n, past→present.</summary>
    static List<StatePair> GuessStatePairs(OnnxSession session)
    {
        var outputNames = session.Outputs.Select(o => o.Name).ToHashSet();
        var pairs = new List<StatePair>();
        foreach (var input in session.Inputs.Where(i => i.ElementType == OnnxElementType.Float))
        {
            string[] guesses =
            [
                input.Name.EndsWith('0') ? input.Name[..^1] + "n" : "",
                input.Name.Replace("_in", "_out"),
                input.Name.Replace("in_", "out_"),
            ];
            var match = guesses.FirstOrDefault(g => g.Length > 0 && g != input.Name && outputNames.Contains(g));
            if (match is not null) pairs.Add(new StatePair(input.Name, match));
        }
        return pairs;
    }

    protected override LmState[] AdvanceBatch(LmState[] states, int[][] tokens, float[][]? tokenLogProbs)
    {
        int b = states.Length;
        int history = states[0].History.Length;
        int fed = tokens[0].Length;
        // Without state the model sees history + new tokens; with state only the new tokens.
        int t = Incremental ? fed : history + fed;
        var ids = new long[b * t];
        for (int r = 0; r < b; r++)
        {
            int at = r * t;
            if (!Incremental) foreach (int id in states[r].History) ids[at++] = id;
            foreach (int id in tokens[r]) ids[at++] = id;
        }
        var inputs = new List<OnnxInput> { OnnxInput.Int64(_inputIds, ids, b, t) };
        foreach (var (s, k) in _state.Select((s, k) => (s, k)))
            inputs.Add(OnnxInput.Float(s.Input, Gather(s, states.Select(st => st.Tensors[k]).ToArray()), WithBatch(s, b)));
        var outputs = _session.Run(inputs, [_logits, .. _state.Select(s => s.Output)]);
        var logits = outputs[_logits];
        if (logits.Shape.Length != 3 || logits.Shape[0] != b || logits.Shape[1] != t || logits.Shape[2] != _vocab)
            throw new MemScanException($"{_session.ModelPath}: logits came back as [{string.Join(", ", logits.Shape)}], expected [{b}, {t}, {_vocab}]");

        var result = new LmState[b];
        var row = new float[_vocab];
        for (int r = 0; r < b; r++)
        {
            if (tokenLogProbs is not null)
                for (int j = 1; j < fed; j++)
                {
                    LogSoftmax(logits.Data.AsSpan(((r * t) + t - fed + j - 1) * _vocab, _vocab), row);
                    tokenLogProbs[r][j] = row[tokens[r][j]];
                }
            var next = new float[_vocab];
            LogSoftmax(logits.Data.AsSpan(((r * t) + t - 1) * _vocab, _vocab), next);
            result[r] = new LmState
            {
                History = [.. states[r].History, .. tokens[r]],
                Tensors = _state.Select(s => Scatter(s, outputs[s.Output].Data, b, r)).ToArray(),
                NextLogProbs = next,
            };
        }
        return result;
    }

    static long[] WithBatch(StateTensor s, int b)
    {
        var dims = (long[])s.Dims.Clone();
        dims[s.BatchAxis] = b;
        return dims;
    }

    /// <summary>Stacks per-sequence slices along the batch axis (zeros for a fresh sequence).</summary>
    static float[] Gather(StateTensor s, float[][] slices)
    {
        long outer = s.Outer, inner = s.Inner;
        int b = slices.Length;
        var data = new float[outer * b * inner];
        for (int r = 0; r < b; r++)
        {
            if (slices[r].Length == 0) continue;
            for (long o = 0; o < outer; o++)
                Array.Copy(slices[r], o * inner, data, (o * b + r) * inner, inner);
        }
        return data;
    }

    static float[] Scatter(StateTensor s, float[] data, int b, int r)
    {
        long outer = s.Outer, inner = s.Inner;
        var slice = new float[outer * inner];
        for (long o = 0; o < outer; o++)
            Array.Copy(data, (o * b + r) * inner, slice, o * inner, inner);
        return slice;
    }

    public override void Dispose() => _session.Dispose();
}
