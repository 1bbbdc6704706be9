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

    /// <summary>
    /// Rows are grouped by (history, tokens fed) as Advance groups them; a group the loop cannot run
    /// (no state, a static batch-1 graph, outputs it cannot bind, past the context) goes token by token.
    /// </summary>
    protected override DecodeResult DecodeLoop(DecodeRequest request)
    {
        if (!FeedPresentsBack || !Incremental || _io.StaticBatch || _outputTypes is null || !ReuseOutputBuffers)
            return PerTokenDecoding.Run(this, request);
        int rows = request.States.Count, n = request.Tokens;
        var tokens = new int[rows][];
        var logProbs = new float[rows][];
        foreach (var group in Enumerable.Range(0, rows).GroupBy(r => (History: request.States[r].History.Length, Fed: request.Feed[r].Length)))
        {
            var members = group.ToArray();
            DecodeResult part;
            if (!Fits((long)group.Key.History + group.Key.Fed + n - 1)) part = PerTokenOf(request, members);
            else
            {
                int perChunk = (int)Math.Clamp(RunBudgetBytes / Math.Max(1, DecodeLoopBytesPerRow(group.Key.History, group.Key.Fed, n)), 1, MaxBatch);
                var chunkTokens = new List<int[]>();
                var chunkLogProbs = new List<float[]>();
                for (int start = 0; start < members.Length; start += perChunk)
                {
                    var chunk = members.AsSpan(start, Math.Min(perChunk, members.Length - start)).ToArray();
                    var done = DecodeChunk(request, chunk) ?? PerTokenOf(request, chunk);
                    chunkTokens.AddRange(done.Tokens);
                    chunkLogProbs.AddRange(done.LogProbs);
                    RunGarbage.AfterRun(RunBudgetBytes);
                }
                part = new DecodeResult([.. chunkTokens], [.. chunkLogProbs]);
            }
            for (int k = 0; k < members.Length; k++)
            {
                tokens[members[k]] = part.Tokens[k];
                logProbs[members[k]] = part.LogProbs[k];
            }
        }
        return new DecodeResult(tokens, logProbs);
    }

    /// <summary>
    /// Counted bytes of one row of the loop after <paramref name="history"/> tokens, feeding
    /// <paramref name="fed"/>, generating <paramref name="generate"/>: the first run's logits and
    /// gathered past, the float row each log-softmax writes, and the two cache buffers at their
    /// final length (the past a run reads and the present it writes).
    /// </summary>
    public long DecodeLoopBytesPerRow(int history, int fed, int generate)
    {
        int final = history + fed + Math.Max(0, generate - 1);
        long bytes = (long)fed * _io.Vocab * ElementBytes(_io.LogitsType) + (long)_io.Vocab * sizeof(float);
        foreach (var s in _io.State)
            bytes += (s.PerSequence(history) + 2 * s.PerSequence(final)) * ElementBytes(s.ElementType);
        return bytes;
    }

    /// <summary>The per-token loop on some rows of the request (their sample indices kept).</summary>
    DecodeResult PerTokenOf(DecodeRequest request, int[] rows) => PerTokenDecoding.Run(this, new DecodeRequest(
        rows.Select(r => request.States[r]).ToArray(), rows.Select(r => request.Feed[r]).ToArray(), request.Tokens,
        request.Sampling is { } s ? s with { SampleIndices = rows.Select(r => s.SampleIndices[r]).ToArray() } : null));

    /// <summary>
    /// The loop on rows of equal history and feed length, at most a chunk of them; null when a run
    /// fails (a graph whose outputs come back in other shapes than its inputs' layout says): the
    /// per-token loop then runs them, and its checks name what came back.
    /// </summary>
    DecodeResult? DecodeChunk(DecodeRequest request, int[] rows)
    {
        int b = rows.Length, n = request.Tokens, vocab = _io.Vocab;
        var states = rows.Select(r => request.States[r]).ToArray();
        var feed = rows.Select(r => request.Feed[r]).ToArray();
        int history = states[0].History.Length, fed = feed[0].Length, final = history + fed + n - 1;
        var tokens = rows.Select(_ => new int[n]).ToArray();
        var logProbs = rows.Select(_ => new float[n]).ToArray();
        LargestRunBytes = Math.Max(LargestRunBytes, b * DecodeLoopBytesPerRow(history, fed, n));
        int topNext = request.TopNext(vocab);
        var logits = OnnxTypedArrays.Create(_outputTypes![_io.Logits], (long)b * fed * vocab);
        // Two buffers per state tensor at the final length: one run reads its past from one and
        // writes its present into the other; the next run swaps them.
        var past = _io.State.Select(s => OnnxTypedArrays.Create(s.ElementType, b * s.PerSequence(final))).ToArray();
        var present = _io.State.Select(s => OnnxTypedArrays.Create(s.ElementType, b * s.PerSequence(final))).ToArray();
        var row = new float[vocab];
        var widened = logits is float[] ? Array.Empty<float>() : new float[vocab];
        var step = new long[b];
        int length = history;
        for (int t = 0; t < n; t++)
        {
            int width = t == 0 ? fed : 1;
            bool firstStep = t == 0 && history == 0 && _firstSession is not null;
            var session = firstStep ? _firstSession! : _session;
            // The first run gathers the request's states (Advance's inputs); later ones feed the tokens just picked and the last present.
            List<OnnxInput> inputs;
            OnnxSessionOutput[] boundPast;
            if (t == 0)
            {
                inputs = Inputs(firstStep ? _firstIo! : _io, states, feed, firstStep, fed);
                boundPast = [];
            }
            else
            {
                inputs = StepInputs(step, length);
                boundPast = _io.State.Select((s, k) => new OnnxSessionOutput(s.Input, past[k], s.Shape(b, length))).ToArray();
            }
            OnnxSessionOutput[] outputs =
            [
                new(_io.Logits, logits, [b, width, vocab]),
                .. _io.State.Select((s, k) => new OnnxSessionOutput(s.Output, present[k], s.Shape(b, length + width))),
            ];
            try
            {
                session.RunInto(inputs, boundPast, outputs);
            }
            catch (MemScanException)
            {
                return null;
            }
            length += width;
            (past, present) = (present, past);
            for (int r = 0; r < b; r++)
            {
                long offset = ((long)r * width + width - 1) * vocab;
                ReadOnlySpan<float> last;
                if (logits is float[] floats) last = floats.AsSpan(checked((int)offset), vocab);
                else
                {
                    OnnxTypedArrays.ToFloat(logits, offset, widened);
                    last = widened;
                }
                // As Advance makes a state's next tokens: the log-softmax row, then its top k (or the whole row).
                var full = topNext == 0 ? new float[vocab] : row;
                LogSoftmax(last, full);
                var top = topNext == 0 ? null : TopNextLogProbs.Pick(full, topNext);
                var (token, logProb) = PerTokenDecoding.Pick(top, full, request.Sampling, rows[r], t);
                tokens[r][t] = token;
                logProbs[r][t] = logProb;
                step[r] = token;
            }
        }
        CountDecodeLoop(new DecodeRequest(states, feed, n));
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
