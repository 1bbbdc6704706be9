using MemScan.Scanner.Manifest;
using MemScan.Scanner.Models;
using MemScan.Scanner.Onnx;

namespace MemScan.Scanner.Isolation;

/// <summary>
/// The child side of model isolation (<c>memscan host-model</c>): loads one untrusted ONNX model
/// and answers Advance requests over stdin/stdout until told to quit. If ONNX Runtime crashes on a
/// hostile model, only this process dies; the scanner reports it and carries on. The model's states
/// stay here (<see cref="HostStateTable"/>); only handles, tokens and log-probs cross the pipe.
/// </summary>
internal static class ModelHostServer
{
    /// <summary>Sent in the Ready message for a model without a context limit.</summary>
    internal const int NoContext = -1;

    /// <summary>Default bound on held states: most of the memory the runtime may use, leaving room for ORT's own.</summary>
    internal static long DefaultMaxStateBytes => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2;

    /// <param name="memoryBudget">The scan's --memory-budget: bounds the held states (unless <paramref name="maxStateBytes"/> says otherwise) and, a share of it, each model run (<see cref="Scanning.RunBudgets"/>).</param>
    public static int Serve(string modelPath, LmIoSpec? io, OnnxSessionOptions options, long? maxStateBytes = null, long? memoryBudget = null)
    {
        using var stdin = Console.OpenStandardInput();
        using var stdout = Console.OpenStandardOutput();
        var frames = new HostFrames(stdin, stdout);
        OnnxLanguageModel model;
        try
        {
            model = OnnxLanguageModel.Open(modelPath, io, options);
        }
        catch (MemScanException e)
        {
            frames.WriteInt((int)HostMessage.Error);
            frames.WriteString(e.Message);
            frames.Flush();
            return 2;
        }
        using (model)
        {
            if (memoryBudget is { } budget) model.RunBudgetBytes = Scanning.RunBudgets.PerRun(budget);
            var table = new HostStateTable(model.Initial, maxStateBytes ?? memoryBudget ?? DefaultMaxStateBytes);
            frames.WriteInt((int)HostMessage.Ready);
            frames.WriteInt(model.VocabSize);
            frames.WriteBool(model.Incremental);
            frames.WriteString(model.DeviceNote);
            // The context is read from the graph here, in the child: the parent never parses the model.
            frames.WriteInt(model.MaxSequenceLength ?? NoContext);
            frames.WriteString(model.MaxSequenceLengthSource ?? "");
            frames.WriteLong(table.MaxBytes);
            frames.Flush();
            while (true)
            {
                var message = (HostMessage)frames.ReadInt();
                if (message == HostMessage.Quit) return 0;
                if (message is not (HostMessage.Advance or HostMessage.Decode or HostMessage.ScorePositions)) throw new InvalidDataException($"unexpected request {message}");
                var request = message == HostMessage.Advance ? HostProtocol.ReadRequest(frames) : null;
                var loop = message == HostMessage.Decode ? HostDecodeProtocol.ReadRequest(frames) : null;
                var scoring = message == HostMessage.ScorePositions ? HostScoringProtocol.ReadRequest(frames) : null;
                try
                {
                    if (request is not null) HostProtocol.WriteResult(frames, Advance(model, table, request));
                    else if (loop is not null) HostDecodeProtocol.WriteResult(frames, Decode(model, table, loop), table.HeldBytes, model.LargestRunBytes);
                    else HostScoringProtocol.WriteResult(frames, ScorePositions(model, table, scoring!), table.HeldBytes, model.LargestRunBytes);
                }
                catch (MemScanException e)
                {
                    frames.WriteInt((int)HostMessage.Error);
                    frames.WriteString(e.Message);
                    frames.Flush();
                }
            }
        }
    }

    /// <summary>
    /// Set to 1 in the scanner's environment (which its hosts inherit), hosts decode token by token
    /// (<see cref="OnnxLanguageModel.FeedPresentsBack"/> off): only for memscan-bench's before/after.
    /// </summary>
    internal const string PerTokenDecodingVariable = "MEMSCAN_BENCH_HOST_DECODES_PER_TOKEN";

    /// <summary>A whole scoring loop, run here as in process in the scanner's batches; two numbers a position go back.</summary>
    static PositionScores[] ScorePositions(OnnxLanguageModel model, HostStateTable table, ScoringLoopRequest request)
    {
        foreach (long handle in request.Releases) table.Release(handle);
        return InScannersBatches(model, request.MaxBatch, "scoring", () => model.ScorePositions(request.Sequences));
    }

    /// <summary>A whole decoding loop, run here as in process; only its tokens and log-probs go back.</summary>
    static DecodeResult Decode(OnnxLanguageModel model, HostStateTable table, DecodeLoopRequest request)
    {
        model.FeedPresentsBack = Environment.GetEnvironmentVariable(PerTokenDecodingVariable) != "1";
        foreach (long handle in request.Releases) table.Release(handle);
        var states = request.Handles.Select(h => table[h]).ToArray();
        return InScannersBatches(model, request.MaxBatch, "decoding",
            () => model.Decode(new DecodeRequest(states, request.Feed, request.Tokens, request.Sampling)));
    }

    /// <summary>
    /// Runs a loop sent whole from the scanner in the scanner's batch limit, so that it runs the same
    /// batches (and so the same floats) as the scanner's side would; Advance requests arrive already
    /// split by the scanner and keep the host's own limit. A request the model rejects is malformed.
    /// </summary>
    static T InScannersBatches<T>(OnnxLanguageModel model, int maxBatch, string loop, Func<T> run)
    {
        if (maxBatch < 1) throw new InvalidDataException($"{loop} loop in batches of {maxBatch}");
        int before = model.MaxBatch;
        model.MaxBatch = maxBatch;
        try
        {
            return run();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"malformed {loop} request: {e.Message}", e);
        }
        finally
        {
            model.MaxBatch = before;
        }
    }

    static AdvanceResult Advance(OnnxLanguageModel model, HostStateTable table, AdvanceRequest request)
    {
        foreach (long handle in request.Releases) table.Release(handle);
        var states = request.Handles.Select(h => table[h]).ToArray();
        LmState[] advanced;
        float[][]? tokenLogProbs = null;
        if (request.TopNext > 0)
        {
            if (request.WantedNext is not null || request.WantTokenLogProbs)
                throw new InvalidDataException("a request for the top next tokens asks for nothing else");
            advanced = model.Advance(states, request.Tokens, request.TopNext);
        }
        else if (request.WantTokenLogProbs) advanced = model.Advance(states, request.Tokens, request.WantedNext, out tokenLogProbs);
        else advanced = model.Advance(states, request.Tokens, request.WantedNext);
        table.AddAll(request.FirstNewHandle, advanced);
        // Wanted tokens only: their values, in the order asked, are all that crosses the pipe; for
        // the top k, their ids and values, most likely first.
        var next = advanced.Select(s => s.Top?.LogProbs ?? s.Wanted?.Values ?? s.NextLogProbs).ToArray();
        var top = request.TopNext > 0 ? advanced.Select(s => s.Top!.Tokens).ToArray() : null;
        return new AdvanceResult(next, tokenLogProbs, table.HeldBytes, top, model.LargestRunBytes);
    }
}
