using MemScan.Scanner.Manifest;
using MemScan.Scanner.Onnx;

namespace MemScan.Scanner.Models;

/// <summary>
/// What each graph input and output of an ONNX language model is for, read from the graph itself
/// (and the manifest's <see cref="LmIoSpec"/> when there is one). Detection rules:
/// <list type="bullet">
/// <item>token ids: the manifest's name, else an input named <c>input_ids</c>, else the first
///   integer input of rank 2; it must be int64 [batch, seq].</item>
/// <item>logits: the manifest's name, else an output named <c>logits</c>, else the first output of
///   rank 3; the vocabulary axis must be fixed.</item>
/// <item>state pairs: the manifest's, else every float input X with an output named like X with
///   h0→hn, c0→cn, _in→_out, in_→out_, past_key_values→present, past→present (so
///   <c>past_key_values.0.key</c>→<c>present.0.key</c>, <c>past_0</c>→<c>present_0</c>). The batch axis of
///   a state tensor is the dynamic axis named like input_ids' batch axis (else its first dynamic
///   axis); a second dynamic axis after it is the history axis that grows by the tokens fed (KV
///   caches); all other axes must be fixed.</item>
/// <item><c>attention_mask</c> (int64/int32 [batch, total]): ones over history + new tokens.</item>
/// <item><c>position_ids</c> (int64/int32 [batch, seq]): the absolute position of each fed token.</item>
/// <item>context (the most tokens the model takes): the manifest's or profile's <c>io.context</c>,
///   else the rows of the position table that <c>position_ids</c> index (<see cref="PositionTable"/>),
///   else none (recurrent models, or a transformer whose positions MemScan cannot trace).</item>
/// </list>
/// Any other input makes the model unusable, with a message listing the graph's inputs.
/// </summary>
sealed record OnnxLmBinding(
    string InputIds, string Logits, int Vocab, OnnxStateTensor[] State,
    OnnxValueInfo? AttentionMask, OnnxValueInfo? PositionIds, int? Context = null, string? ContextSource = null)
{
    public const string InputIdsName = "input_ids", LogitsName = "logits",
        AttentionMaskName = "attention_mask", PositionIdsName = "position_ids";

    /// <summary>One line for logs: which mode and which optional inputs are fed.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (State.Length == 0) parts.Add("full-sequence (no state: the history is re-run each call)");
        else if (State.Any(s => s.Grows)) parts.Add($"incremental, {State.Length} growing key/value cache tensor(s)");
        else parts.Add($"incremental, {State.Length} recurrent state tensor(s)");
        if (AttentionMask is not null) parts.Add(AttentionMask.Name);
        if (PositionIds is not null) parts.Add(PositionIds.Name);
        if (Context is { } context) parts.Add($"context {context} tokens ({ContextSource})");
        return string.Join(", ", parts);
    }

    public static OnnxLmBinding Detect(OnnxSession session, LmIoSpec? io)
    {
        var inputs = session.Inputs.ToDictionary(i => i.Name);
        var outputs = session.Outputs.ToDictionary(o => o.Name);
        string Describe() => $"inputs are {string.Join(", ", session.Inputs.Select(i => i.ToString()))}; outputs are {string.Join(", ", session.Outputs.Select(o => o.ToString()))}";

        string inputIds = io?.InputIds is { Length: > 0 } namedIds && inputs.ContainsKey(namedIds) ? namedIds
            : inputs.ContainsKey(InputIdsName) ? InputIdsName
            : session.Inputs.FirstOrDefault(i => IsInteger(i) && i.Rank == 2 && i.Name is not (AttentionMaskName or PositionIdsName))?.Name ?? "";
        string logits = io?.Logits is { Length: > 0 } namedLogits && outputs.ContainsKey(namedLogits) ? namedLogits
            : outputs.ContainsKey(LogitsName) ? LogitsName
            : session.Outputs.FirstOrDefault(o => o.Rank == 3)?.Name ?? "";
        if (!inputs.TryGetValue(inputIds, out var idsInfo) || idsInfo.Rank != 2 || idsInfo.ElementType != OnnxElementType.Int64)
            throw new MemScanException($"{session.ModelPath} is not a language model: expected int64 token ids [batch, seq]; {Describe()}");
        if (!outputs.TryGetValue(logits, out var logitsInfo) || logitsInfo.Dims is not { Count: 3 } logitsDims || logitsDims[2].Value is not long vocab)
            throw new MemScanException($"{session.ModelPath} is not a language model: expected logits [batch, seq, vocab] with a fixed vocab; {Describe()}");

        var pairs = io?.State is { Count: > 0 } named ? named : GuessStatePairs(session);
        var batchName = idsInfo.Dims![0].Param;
        var state = new List<OnnxStateTensor>();
        foreach (var pair in pairs)
        {
            if (!inputs.TryGetValue(pair.Input, out var inInfo) || !outputs.ContainsKey(pair.Output))
                throw new MemScanException($"{session.ModelPath}: state tensor pair {pair.Input} → {pair.Output} not found; {Describe()}");
            state.Add(Layout(session, inInfo, pair.Output, batchName));
        }

        OnnxValueInfo? Optional(string name)
        {
            if (!inputs.TryGetValue(name, out var info)) return null;
            if (!IsInteger(info) || info.Rank != 2)
                throw new MemScanException($"{session.ModelPath}: input {info} should be int64 or int32 [batch, n]");
            return info;
        }
        var mask = Optional(AttentionMaskName);
        var positions = Optional(PositionIdsName);

        var unfed = session.Inputs.Where(i => i.Name != inputIds && i.Name != mask?.Name && i.Name != positions?.Name && state.All(s => s.Input != i.Name)).ToList();
        if (unfed.Count > 0)
            throw new MemScanException(
                $"{session.ModelPath}: MemScan does not know what to feed input(s) {string.Join(", ", unfed.Select(u => u.Name))} " +
                $"(it feeds token ids, {AttentionMaskName}, {PositionIdsName} and state/past tensors that have a matching output); " +
                $"name them in a model profile; {Describe()}");
        var (context, contextSource) = FindContext(session, io, positions);
        return new OnnxLmBinding(inputIds, logits, (int)vocab, state.ToArray(), mask, positions, context, contextSource);
    }

    /// <summary>The context and where it came from: io.context first, then the graph's position table.</summary>
    static (int?, string?) FindContext(OnnxSession session, LmIoSpec? io, OnnxValueInfo? positions)
    {
        if (io?.Context is { } given) return (given, "io.context");
        if (positions is not null && PositionTable.Find(session.Info.Model.Graph, positions.Name) is { } table)
            return (table.Rows, $"position table {table.Name} [{table.Rows}, {table.Width}]");
        return (null, null);
    }

    static bool IsInteger(OnnxValueInfo i) => i.ElementType is OnnxElementType.Int64 or OnnxElementType.Int32;

    /// <summary>Finds the batch and history axes of a state input (see the class rules).</summary>
    static OnnxStateTensor Layout(OnnxSession session, OnnxValueInfo input, string output, string? batchName)
    {
        var dims = input.Dims ?? [];
        var dynamic = Enumerable.Range(0, dims.Count).Where(i => !dims[i].IsFixed).ToList();
        int batchAxis = batchName is not null && dynamic.Any(i => dims[i].Param == batchName)
            ? dynamic.First(i => dims[i].Param == batchName)
            : dynamic.FirstOrDefault(-1);
        var others = dynamic.Where(i => i != batchAxis).ToList();
        if (batchAxis < 0 || others.Count > 1 || (others.Count == 1 && others[0] < batchAxis))
            throw new MemScanException(
                $"{session.ModelPath}: state input {input} needs a dynamic batch axis, at most one dynamic history axis after it " +
                "(past sequence length) and fixed other dims");
        return new OnnxStateTensor(input.Name, output, dims.Select(d => d.Value ?? 0).ToArray(), batchAxis, others.Count == 1 ? others[0] : -1);
    }

    /// <summary>Float inputs X with an output named like X with in→out, 0→n, past→present.</summary>
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
                input.Name.Replace("past_key_values", "present"),
                input.Name.Replace("past", "present"),
            ];
            var match = guesses.FirstOrDefault(g => g.Length > 0 && g != input.Name && outputNames.Contains(g));
            if (match is not null) pairs.Add(new StatePair(input.Name, match));
        }
        return pairs;
    }
}
