using MemScan.Scanner.Onnx;

namespace MemScan.Scanner.Models;

/// <summary>
/// The decoding loop of an ONNX model with state (<see cref="LanguageModel.Decode"/>): each run's
/// present outputs are fed straight back as the next run's past inputs.
/// </summary>
/// <remarks>
/// Why: the per-token loop (<see cref="PerTokenDecoding"/>) calls Advance once per generated token,
/// which gathers every row's cache into a fresh [b, heads, T, hd] input and scatters the whole
/// present back into per-row arrays: two copies of the batch's cache per token, growing with T, and
/// every row's cache held at once. Rows of one decoding group advance in lockstep with equal
/// history lengths, so the batch layout of a run's present IS the next run's past: this loop
/// gathers once (the request's states, first run), then alternates two buffers per state tensor
/// that ONNX Runtime reads from and writes into, and keeps no per-row state at all. A group is
/// decoded in chunks of rows whose buffers fit <see cref="LanguageModel.RunBudgetBytes"/>
/// (<see cref="DecodeLoopBytesPerRow"/>); rows are independent, so chunks change no answer. The
/// picks are <see cref="PerTokenDecoding"/>'s on the same log-softmax rows, so tokens and log-probs
/// are bitwise the per-token loop's (DecodeLoopOnTrainedModelsTests, DecodeLoopThroughHostTests).
/// </remarks>
public sealed partial class OnnxLanguageModel
{
    /// <summary>
    /// Feed each run's present caches back as the next run's past (default). Off, decoding calls
    /// Advance once per token (<see cref="PerTokenDecoding"/>): only to measure the difference (memscan-bench).
    /// </summary>
    public bool FeedPresentsBack { get; set; } = true;

    /// <summary>Chunks of rows, and rows, decoded by feeding presents back (not token by token): tests and the bench check the loop ran.</summary>
    public long FedBackChunks { get; private set; }
    public long FedBackRows { get; private set; }

    /// <summary>
    /// The first step is Advance's, as the per-token loop makes it; the rest runs in chunks of rows
    /// of equal length, in the batches Advance would form. A request the loop cannot run (no
    /// state, a static batch-1 graph, outputs it cannot bind, past the context) goes token by token.
    /// </summary>
    protected override DecodeResult DecodeLoop(DecodeRequest request)
    {
        int rows = request.States.Count, n = request.Tokens;
        if (!FeedPresentsBack || !Incremental || _io.StaticBatch || _outputTypes is null || !ReuseOutputBuffers || n < 2 ||
            Enumerable.Range(0, rows).Any(r => !Fits((long)request.States[r].History.Length + request.Feed[r].Length + n - 1)))
            return PerTokenDecoding.Run(this, request);
        int topNext = request.TopNext(VocabSize);
        var first = topNext > 0 ? Advance(request.States, request.Feed, topNext) : Advance(request.States, request.Feed);
        var tokens = new int[rows][];
        var logProbs = new float[rows][];
        for (int r = 0; r < rows; r++)
        {
            tokens[r] = new int[n];
            logProbs[r] = new float[n];
            (tokens[r][0], logProbs[r][0]) = PerTokenDecoding.Pick(first[r].Top, first[r].Top is null ? first[r].NextLogProbs : [], request.Sampling, r, 0);
        }
        // Every row now feeds one token, so Advance would group rows by length alone, in order of
        // first appearance, and split each group by MaxBatch: the loop's chunks are those batches
        // (fewer rows when the run budget asks), so the floats are the per-token loop's.
        foreach (var group in Enumerable.Range(0, rows).GroupBy(r => first[r].History.Length))
        {
            var members = group.ToArray();
            int perChunk = (int)Math.Clamp(RunBudgetBytes / Math.Max(1, DecodeLoopBytesPerRow(group.Key, n - 1)), 1, MaxBatch);
            for (int start = 0; start < members.Length; start += perChunk)
            {
                var chunk = members.AsSpan(start, Math.Min(perChunk, members.Length - start)).ToArray();
                var rest = new DecodeRequest(chunk.Select(r => first[r]).ToArray(), chunk.Select(r => new[] { tokens[r][0] }).ToArray(), n - 1,
                    request.Sampling is { } s ? s with { SampleIndices = chunk.Select(r => s.SampleIndices[r]).ToArray(), FirstStep = s.FirstStep + 1 } : null);
                // Only the chunk's caches are held from here: the first step's states of its rows go.
                foreach (int r in chunk) first[r] = null!;
                var done = DecodeChunk(rest, topNext) ?? PerTokenDecoding.Run(this, rest);
                for (int k = 0; k < chunk.Length; k++)
                {
                    Array.Copy(done.Tokens[k], 0, tokens[chunk[k]], 1, n - 1);
                    Array.Copy(done.LogProbs[k], 0, logProbs[chunk[k]], 1, n - 1);
                }
                RunGarbage.AfterRun(RunBudgetBytes);
            }
        }
        return new DecodeResult(tokens, logProbs);
    }

    /// <summary>
    /// Counted bytes of one row of the loop after <paramref name="history"/> tokens, generating
    /// <paramref name="runs"/> more one at a time: the logits of a run and the float row each
    /// log-softmax writes, the past gathered from the first step's state, and the two cache buffers
    /// at their final length (the past a run reads and the present it writes).
    /// </summary>
    public long DecodeLoopBytesPerRow(int history, int runs)
    {
        int final = history + runs;
        long bytes = (long)_io.Vocab * RunElementBytes(_io.LogitsType) + (long)_io.Vocab * sizeof(float);
        foreach (var s in _io.State)
            bytes += (s.PerSequence(history) + 2 * s.PerSequence(final)) * RunElementBytes(s.ElementType);
        return bytes;
    }

    /// <summary>
    /// Decodes <paramref name="request"/> (states of equal length, one token fed each) by feeding
    /// presents back; null when a run fails (a graph whose outputs do not come back in the shapes its
    /// inputs say): the per-token loop then runs the chunk, and its checks name what came back.
    /// </summary>
    DecodeResult? DecodeChunk(DecodeRequest request, int topNext)
    {
        var states = request.States;
        int b = states.Count, n = request.Tokens, vocab = _io.Vocab, history = states[0].History.Length;
        LargestRunBytes = Math.Max(LargestRunBytes, b * DecodeLoopBytesPerRow(history, n));
        var tokens = states.Select(_ => new int[n]).ToArray();
        var logProbs = states.Select(_ => new float[n]).ToArray();
        var logits = OnnxTypedArrays.Create(_outputTypes![_io.Logits], (long)b * vocab);
        // The first run reads the past gathered from the states; then two buffers per state tensor
        // at the final length take turns: one run reads its past from one and writes its present
        // into the other.
        var past = _io.State.Select((s, k) => s.Gather(states, k, history)).ToArray();
        Array[] Buffers() => _io.State.Select(s => OnnxTypedArrays.Create(s.ElementType, b * s.PerSequence(history + n))).ToArray();
        var present = Buffers();
        var row = new float[vocab];
        var widened = logits is float[] ? Array.Empty<float>() : new float[vocab];
        var fed = request.Feed.Select(f => (long)f[0]).ToArray();
        int length = history;
        for (int t = 0; t < n; t++)
        {
            var inputs = StepInputs(fed, length);
            var boundPast = _io.State.Select((s, k) => new OnnxSessionOutput(s.Input, past[k], s.Shape(b, length))).ToArray();
            OnnxSessionOutput[] outputs =
            [
                new(_io.Logits, logits, [b, 1, vocab]),
                .. _io.State.Select((s, k) => new OnnxSessionOutput(s.Output, present[k], s.Shape(b, length + 1))),
            ];
            try
            {
                _session.RunInto(inputs, boundPast, outputs);
            }
            catch (MemScanException)
            {
                return null;
            }
            length++;
            // The gathered past goes after the first run; from then on the two buffers swap.
            (past, present) = (present, t == 0 && n > 1 ? Buffers() : past);
            for (int r = 0; r < b; r++)
            {
                ReadOnlySpan<float> last;
                if (logits is float[] floats) last = floats.AsSpan(r * vocab, vocab);
                else
                {
                    OnnxTypedArrays.ToFloat(logits, (long)r * vocab, widened);
                    last = widened;
                }
                // As Advance makes a state's next tokens: the log-softmax row, then its top k (or the whole row).
                var full = topNext == 0 ? new float[vocab] : row;
                LogSoftmax(last, full);
                var top = topNext == 0 ? null : TopNextLogProbs.Pick(full, topNext);
                var (token, logProb) = PerTokenDecoding.Pick(top, full, request.Sampling, r, t);
                tokens[r][t] = token;
                logProbs[r][t] = logProb;
                fed[r] = token;
            }
        }
        CountDecodeLoop(request);
        FedBackChunks++;
        FedBackRows += b;
        return new DecodeResult(tokens, logProbs);
    }
    /// <summary>The inputs of a later run besides the caches: one token per row at position <paramref name="history"/>.</summary>
    List<OnnxInput> StepInputs(long[] picked, int history)
    {
        int b = picked.Length;
        var inputs = new List<OnnxInput> { OnnxInput.Int64(_io.InputIds, (long[])picked.Clone(), b, 1) };
        if (_io.AttentionMask is { } mask) inputs.Add(MaskInput(mask, b, history + 1));
        if (_io.PositionIds is { } positions) inputs.Add(IntegerInput(positions, b, 1, _ => history));
        if (_io.CacheBranch is { } branch) inputs.Add(OnnxInput.Bool(branch.Name, [true], branch.Rank == 0 ? [] : [1]));
        return inputs;
    }
}
