using System.Buffers;
using System.Numerics.Tensors;

namespace MemScan.Scanner.Models;

/// <summary>
/// A causal language model as the probes see it, whatever runs it (ONNX Runtime, TorchSharp) and
/// whatever its interface (full sequence, LSTM state, past key/values).
/// </summary>
public abstract class LanguageModel : IDisposable
{
    public abstract int VocabSize { get; }

    /// <summary>True when the model carries state between calls, so a prefix is evaluated once.</summary>
    public abstract bool Incremental { get; }

    /// <summary>
    /// The most tokens one sequence may hold (history and new tokens together), or null when the
    /// model has no such limit (recurrent models). A transformer with a learned position table
    /// cannot see past its last row; <see cref="Advance(IReadOnlyList{LmState}, IReadOnlyList{int[]})"/>
    /// refuses such a feed with a clear message instead of ONNX Runtime's out-of-bounds Gather.
    /// </summary>
    public virtual int? MaxSequenceLength => null;

    /// <summary>Where <see cref="MaxSequenceLength"/> came from, for messages ("io.context", "position table wpe.weight [32, 64]").</summary>
    public virtual string? MaxSequenceLengthSource => null;

    /// <summary>How messages name the model (its file, for ONNX models).</summary>
    public virtual string Name => GetType().Name;

    /// <summary>True when a sequence of <paramref name="tokens"/> tokens fits the model's context.</summary>
    public bool Fits(long tokens) => MaxSequenceLength is not { } max || tokens <= max;

    /// <summary>" (from io.context)" or "", for messages about the context.</summary>
    public string ContextNote => MaxSequenceLengthSource is { } source ? $" (from {source})" : "";

    /// <summary>Sequences the model has been run on (each row of each batch counts once).</summary>
    public long Queries { get; protected set; }
    /// <summary>Token positions the model has evaluated.</summary>
    public long TokensEvaluated { get; protected set; }

    /// <summary>Largest batch the model is run with; callers may pass more, it is split.</summary>
    public int MaxBatch { get; set; } = 512;

    /// <summary>
    /// Most bytes one model run may take by <see cref="RunBytesPerRow"/>'s count (its outputs, the
    /// caches fed in and the caches and log-probs made): a group of rows is split into runs of at
    /// most this many bytes, at least one row each. Why: at GPT-2's vocabulary one run of 512 rows
    /// × 16 tokens writes 1.6 GB of logits. Unbounded by default; scans set a share of
    /// <c>--memory-budget</c> (<see cref="Scanning.RunBudgets"/>).
    /// </summary>
    public long RunBudgetBytes { get; set; } = long.MaxValue;

    /// <summary>The most bytes one run took so far, counted as <see cref="RunBudgetBytes"/> counts them (tests and the bench check the bound).</summary>
    public long LargestRunBytes { get; protected set; }

    /// <summary>
    /// Bytes one row of a run takes after <paramref name="history"/> tokens, feeding
    /// <paramref name="fed"/>: this default counts the float logits of the fed tokens and the next-token
    /// row; models with caches add them (<see cref="OnnxLanguageModel"/>).
    /// </summary>
    public virtual long RunBytesPerRow(int history, int fed) => ((long)fed + 1) * VocabSize * sizeof(float);

    /// <summary>Rows per run for this group: <see cref="MaxBatch"/>, fewer when <see cref="RunBudgetBytes"/> needs it, at least one.</summary>
    public int RowsPerRun(int history, int fed)
    {
        if (RunBudgetBytes == long.MaxValue) return MaxBatch;
        long perRow = Math.Max(1, RunBytesPerRow(history, fed));
        return (int)Math.Clamp(RunBudgetBytes / perRow, 1, MaxBatch);
    }

    /// <summary>Where and how it runs, for reports ("cpu", a CUDA fallback note, "isolated: ...").</summary>
    public virtual string DeviceNote => "cpu";

    /// <summary>The state before any token.</summary>
    public abstract LmState Initial { get; }

    /// <summary>
    /// Feeds <paramref name="tokens"/>[i] after <paramref name="states"/>[i] for every i and returns the
    /// new states. Rows may differ in length; implementations group rows of equal length.
    /// </summary>
    public LmState[] Advance(IReadOnlyList<LmState> states, IReadOnlyList<int[]> tokens) =>
        Advance(states, tokens, null, topNext: 0, wantTokenLogProbs: false, out _);

    /// <summary>
    /// As <see cref="Advance(IReadOnlyList{LmState}, IReadOnlyList{int[]})"/>, but each new state
    /// carries only its <paramref name="topNext"/> most likely next tokens with their log-probs
    /// (<see cref="LmState.Top"/>: min(k, vocabulary) of them, most likely first, the lower id first
    /// on ties), exactly the full row's entries. Why: greedy decoding and top-k sampling read only
    /// those, and an isolated model then ships k ids and values instead of the whole vocabulary.
    /// </summary>
    public LmState[] Advance(IReadOnlyList<LmState> states, IReadOnlyList<int[]> tokens, int topNext)
    {
        if (topNext < 1) throw new ArgumentOutOfRangeException(nameof(topNext), $"asked for the top {topNext} next tokens; ask for at least 1, or for the full rows");
        return Advance(states, tokens, null, topNext, wantTokenLogProbs: false, out _);
    }

    /// <summary>
    /// As <see cref="Advance(IReadOnlyList{LmState}, IReadOnlyList{int[]})"/>, but each new state
    /// carries the next-token log-probs of only the tokens <paramref name="wantedNext"/>[i] (read
    /// them with <see cref="LmState.NextLogProb"/>); null wants the full rows. The values are
    /// exactly the full rows' entries. Why: a tree search reads a few entries of a row, and an
    /// isolated model then ships only those instead of the whole vocabulary.
    /// </summary>
    public LmState[] Advance(IReadOnlyList<LmState> states, IReadOnlyList<int[]> tokens, IReadOnlyList<int[]>? wantedNext) =>
        Advance(states, tokens, wantedNext, topNext: 0, wantTokenLogProbs: false, out _);

    /// <summary>
    /// As <see cref="Advance(IReadOnlyList{LmState}, IReadOnlyList{int[]})"/>, also returning
    /// log p(token | everything before it) for every fed token (NaN where the state had no
    /// distribution yet, i.e. the first token after <see cref="Initial"/>).
    /// </summary>
    public LmState[] Advance(IReadOnlyList<LmState> states, IReadOnlyList<int[]> tokens, out float[][] tokenLogProbs) =>
        Advance(states, tokens, null, topNext: 0, wantTokenLogProbs: true, out tokenLogProbs);

    /// <summary>Both: wanted next tokens only, and the per-token log-probs.</summary>
    public LmState[] Advance(IReadOnlyList<LmState> states, IReadOnlyList<int[]> tokens, IReadOnlyList<int[]>? wantedNext, out float[][] tokenLogProbs) =>
        Advance(states, tokens, wantedNext, topNext: 0, wantTokenLogProbs: true, out tokenLogProbs);

    /// <param name="topNext">0, or how many most likely next tokens each new state keeps (then <paramref name="wantedNext"/> is null).</param>
    LmState[] Advance(IReadOnlyList<LmState> states, IReadOnlyList<int[]> tokens, IReadOnlyList<int[]>? wantedNext, int topNext, bool wantTokenLogProbs, out float[][] tokenLogProbs)
    {
        if (states.Count != tokens.Count)
            throw new ArgumentException($"states ({states.Count}) and token rows ({tokens.Count}) differ in count");
        if (wantedNext is not null) CheckWanted(wantedNext, states.Count);
        var result = new LmState[states.Count];
        tokenLogProbs = wantTokenLogProbs ? new float[states.Count][] : [];
        foreach (var group in Enumerable.Range(0, states.Count)
                     .GroupBy(i => (Length: tokens[i].Length, History: states[i].History.Length)))
        {
            var rows = group.ToArray();
            if (!Fits((long)group.Key.History + group.Key.Length))
                throw new MemScanException(
                    $"{Name}: cannot feed {group.Key.Length} token(s) after {group.Key.History}: {group.Key.History + group.Key.Length} tokens " +
                    $"exceed the model's context of {MaxSequenceLength} tokens{ContextNote}");
            if (group.Key.Length == 0)
            {
                foreach (int r in rows)
                {
                    result[r] = states[r];
                    if (wantTokenLogProbs) tokenLogProbs[r] = [];
                }
                continue;
            }
            int perRun = RowsPerRun(group.Key.History, group.Key.Length);
            long rowBytes = RunBytesPerRow(group.Key.History, group.Key.Length);
            for (int start = 0; start < rows.Length; start += perRun)
            {
                var chunk = rows.AsSpan(start, Math.Min(perRun, rows.Length - start)).ToArray();
                LargestRunBytes = Math.Max(LargestRunBytes, chunk.Length * rowBytes);
                var chunkTokens = chunk.Select(r => tokens[r]).ToArray();
                float[][]? inner = wantTokenLogProbs
                    ? chunkTokens.Select(t => new float[t.Length]).ToArray()
                    : null;
                var chunkWanted = wantedNext is null ? null : chunk.Select(r => wantedNext[r]).ToArray();
                var advanced = AdvanceBatch(chunk.Select(r => states[r]).ToArray(), chunkTokens, inner, chunkWanted, topNext);
                for (int k = 0; k < chunk.Length; k++)
                {
                    result[chunk[k]] = advanced[k];
                    if (inner is null) continue;
                    var before = states[chunk[k]];
                    inner[k][0] = before.HasNextDistribution ? before.NextLogProb(chunkTokens[k][0]) : float.NaN;
                    tokenLogProbs[chunk[k]] = inner[k];
                }
                Queries += chunk.Length;
                TokensEvaluated += (long)chunk.Length * group.Key.Length;
                RunGarbage.AfterRun(RunBudgetBytes);
            }
        }
        return result;
    }

    /// <summary>
    /// One model run: all rows have equal token counts and equal history lengths. When
    /// <paramref name="tokenLogProbs"/> is given, fill [r][t] = log p(tokens[r][t] | ...) for
    /// t = 1..T-1 (index 0 is filled by the caller from the previous state).
    /// </summary>
    protected abstract LmState[] AdvanceBatch(LmState[] states, int[][] tokens, float[][]? tokenLogProbs);

    /// <summary>
    /// As the other AdvanceBatch, keeping only <paramref name="wantedNext"/>[r]'s next-token
    /// log-probs of each new state when given, or only its <paramref name="topNext"/> most likely
    /// next tokens when that is above 0 (never both). This default picks them out of the full rows;
    /// models that can avoid making or moving the full rows override it.
    /// </summary>
    protected virtual LmState[] AdvanceBatch(LmState[] states, int[][] tokens, float[][]? tokenLogProbs, int[][]? wantedNext, int topNext)
    {
        var full = AdvanceBatch(states, tokens, tokenLogProbs);
        if (wantedNext is null && topNext == 0) return full;
        return full.Select((s, r) => new LmState
        {
            History = s.History,
            Tensors = s.Tensors,
            Cache = s.Cache,
            Wanted = wantedNext is null ? null : WantedNextLogProbs.Pick(s.NextLogProbs, wantedNext[r]),
            Top = topNext == 0 ? null : TopNextLogProbs.Pick(s.NextLogProbs, topNext),
            HostOwner = s.HostOwner,
            HostHandle = s.HostHandle,
        }).ToArray();
    }

    /// <summary>One wanted row per state, every token in the vocabulary: checked here so no model (or host) indexes out of its row.</summary>
    void CheckWanted(IReadOnlyList<int[]> wantedNext, int rows)
    {
        if (wantedNext.Count != rows)
            throw new ArgumentException($"states ({rows}) and wanted next-token rows ({wantedNext.Count}) differ in count");
        for (int r = 0; r < rows; r++)
        {
            if (wantedNext[r] is null) throw new ArgumentException($"wanted next tokens of row {r} are null (pass null for the whole list to want full rows)");
            foreach (int token in wantedNext[r])
                if ((uint)token >= (uint)VocabSize)
                    throw new ArgumentOutOfRangeException(nameof(wantedNext), $"wanted next token {token} of row {r} is outside the vocabulary of {VocabSize}");
        }
    }

    /// <summary>
    /// Runs a whole decoding loop (<see cref="DecodeRequest"/>): greedy or top-k sampled, every row
    /// of the batch together, one model run per generated token. The tokens and log-probs are
    /// bitwise those of calling Advance token by token, wherever the loop runs.
    /// </summary>
    public DecodeResult Decode(DecodeRequest request)
    {
        int rows = request.States.Count;
        if (request.Feed.Count != rows)
            throw new ArgumentException($"states ({rows}) and rows to feed ({request.Feed.Count}) differ in count");
        if (request.Tokens < 0) throw new ArgumentOutOfRangeException(nameof(request), $"asked to generate {request.Tokens} tokens");
        for (int r = 0; r < rows; r++)
            if (request.Feed[r] is not { Length: > 0 })
                throw new ArgumentException($"row {r} feeds no token: a decoding loop starts from a next-token distribution");
        if (request.Sampling is { } sampling)
        {
            if (sampling.SampleIndices.Length != rows)
                throw new ArgumentException($"states ({rows}) and sample indices ({sampling.SampleIndices.Length}) differ in count");
            if (sampling.TopK < 0) throw new ArgumentOutOfRangeException(nameof(request), $"top-k {sampling.TopK} is below 0");
            if (sampling.FirstStep < 0) throw new ArgumentOutOfRangeException(nameof(request), $"first step {sampling.FirstStep} is below 0");
        }
        if (request.Tokens == 0)
            return new DecodeResult(Enumerable.Range(0, rows).Select(_ => Array.Empty<int>()).ToArray(), Enumerable.Range(0, rows).Select(_ => Array.Empty<float>()).ToArray());
        return DecodeLoop(request);
    }

    /// <summary>
    /// The loop of a checked <see cref="Decode"/> request. This default calls Advance once per
    /// generated token; a model whose calls are expensive to make (the isolated host: a pipe
    /// round trip each) overrides it to run the loop where the model is.
    /// </summary>
    protected virtual DecodeResult DecodeLoop(DecodeRequest request) => PerTokenDecoding.Run(this, request);

    /// <summary>
    /// Every position's log-prob of its token and Min-K%++ score (<see cref="PositionScoring"/>),
    /// each sequence stepped one token at a time; bitwise the same wherever the loop runs.
    /// </summary>
    public PositionScores[] ScorePositions(IReadOnlyList<int[]> sequences)
    {
        for (int i = 0; i < sequences.Count; i++)
            if (sequences[i] is not { Length: >= 2 })
                throw new ArgumentException($"sequence {i} has {sequences[i]?.Length ?? 0} token(s); scoring needs at least 2");
        return ScorePositionsLoop(sequences);
    }

    /// <summary>
    /// Runs <see cref="ScorePositions"/>' loop; the isolated host overrides it to run the loop where
    /// the model is, so that two numbers a position cross the pipe instead of a vocabulary-wide row.
    /// </summary>
    protected virtual PositionScores[] ScorePositionsLoop(IReadOnlyList<int[]> sequences) => PositionScoring.Run(this, sequences);

    /// <summary>Counts a scoring loop run elsewhere as the one-token rows it stands for (one per position after the first).</summary>
    protected void CountScoringLoop(IReadOnlyList<int[]> sequences)
    {
        long rows = sequences.Sum(s => (long)s.Length - 1);
        Queries += rows;
        TokensEvaluated += rows;
    }

    /// <summary>Counts a loop run elsewhere as the per-token calls it stands for (<see cref="Queries"/>, <see cref="TokensEvaluated"/>).</summary>
    protected void CountDecodeLoop(DecodeRequest request)
    {
        int rows = request.States.Count;
        Queries += (long)rows * request.Tokens;
        TokensEvaluated += request.Feed.Sum(f => (long)f.Length) + (long)rows * (request.Tokens - 1);
    }

    /// <summary>log p(token_t | tokens_&lt;t) for t = 1..n-1 of each sequence (natural log).</summary>
    public float[][] TokenLogProbs(IReadOnlyList<int[]> sequences)
    {
        Advance(Enumerable.Repeat(Initial, sequences.Count).ToArray(), sequences, out var logProbs);
        return logProbs.Select(row => row.Length <= 1 ? [] : row[1..]).ToArray();
    }

    public abstract void Dispose();

    /// <summary>
    /// Log-softmax of one row of logits; <paramref name="output"/> may be <paramref name="logits"/> itself.
    /// </summary>
    /// <remarks>
    /// Performance: this runs once per model row over the whole vocabulary (50,257 floats for
    /// GPT-2), so it is vectorized with <see cref="TensorPrimitives"/> (SIMD max, exp and sum)
    /// instead of a scalar Math.Exp loop; memscan-bench measured the scalar double loop at a
    /// small fraction of this speed, with results equal to within float rounding (docs/PERFORMANCE.md).
    /// </remarks>
    public static void LogSoftmax(ReadOnlySpan<float> logits, Span<float> output)
    {
        if (logits.IsEmpty) return;
        float max = TensorPrimitives.Max(logits);
        float[] rented = ArrayPool<float>.Shared.Rent(logits.Length);
        try
        {
            var shifted = rented.AsSpan(0, logits.Length);
            TensorPrimitives.Subtract(logits, max, shifted);
            TensorPrimitives.Exp(shifted, shifted);
            float logSum = max + MathF.Log(TensorPrimitives.Sum<float>(shifted));
            TensorPrimitives.Subtract(logits, logSum, output);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }
}
