using MemScan.Scanner.Manifest;
using MemScan.Scanner.Onnx;

namespace MemScan.Scanner.Models;

/// <summary>
/// What each graph input and output of an ONNX language model is for, read from the graph itself
/// (and the manifest's or profile's <see cref="LmIoSpec"/>, and a model folder's config.json, when
/// there are). Detection rules:
/// <list type="bullet">
/// <item>token ids: the manifest's name, else an input named <c>input_ids</c>, else the first
///   integer input of rank 2; it must be int64 [batch, seq]. A batch axis fixed at 1 (a static
///   batch-1 export) makes the model run one row at a time.</item>
/// <item>logits: the manifest's name, else an output named <c>logits</c>, else the first output of
///   rank 3; the vocabulary axis must be fixed; float, float16, bfloat16 or double (log-softmax
///   always runs in float).</item>
/// <item>state pairs: the manifest's, else every floating-point input X (float, float16, bfloat16)
///   with an output named like X with h0→hn, c0→cn, _in→_out, in_→out_, past_key_values→present,
///   past→present (so <c>past_key_values.0.key</c>→<c>present.0.key</c>, <c>past_0</c>→<c>present_0</c>).
///   State is kept in its own element type. The batch axis of a state tensor is the dynamic axis
///   named like input_ids' batch axis (else its first dynamic axis; for a static batch its first
///   axis fixed at 1); a second dynamic axis after it is the history axis that grows by the tokens
///   fed (KV caches, grouped-query ones with fewer heads included); all other axes must be fixed.</item>
/// <item><c>attention_mask</c> (int64, int32, bool or float [batch, total]): ones over history + new tokens.</item>
/// <item><c>position_ids</c> (int64/int32 [batch, seq]): the absolute position of each fed token.</item>
/// <item><c>use_cache_branch</c> (bool [1] or scalar; Optimum's merged decoders): false on the
///   first step, when the past is empty, true after.</item>
/// <item>context (the most tokens the model takes): the manifest's or profile's <c>io.context</c>,
///   else the rows of the position table that <c>position_ids</c> index (<see cref="PositionTable"/>,
///   subgraphs of a merged decoder included), else the model folder's config.json, else none
///   (recurrent models, or a transformer whose positions MemScan cannot trace). A model that turns
///   <c>position_ids</c> into rotary angles (Cos/Sin) with no known context is refused: feeding it
///   past its training length would give numbers, not an error.</item>
/// </list>
/// Any other input makes the model unusable, with a message listing the graph's inputs and what
/// would make it work.
/// </summary>
sealed record OnnxLmBinding(
    string InputIds, string Logits, int Vocab, OnnxStateTensor[] State,
    OnnxValueInfo? AttentionMask, OnnxValueInfo? PositionIds, int? Context = null, string? ContextSource = null)
{
    public const string InputIdsName = "input_ids", LogitsName = "logits",
        AttentionMaskName = "attention_mask", PositionIdsName = "position_ids", CacheBranchName = "use_cache_branch";

    /// <summary>Optimum's merged-decoder switch, or null.</summary>
    public OnnxValueInfo? CacheBranch { get; init; }

    /// <summary>The batch axis is fixed at 1: rows are run one at a time.</summary>
    public bool StaticBatch { get; init; }

    public OnnxElementType LogitsType { get; init; } = OnnxElementType.Float;

    /// <summary>What MemScan feeds an input, or reads from an output, in words (for inspect).</summary>
    public string RoleOf(string name)
    {
        if (name == InputIds) return "token ids";
        if (name == Logits) return $"logits over {Vocab} tokens{(LogitsType == OnnxElementType.Float ? "" : $" (log-softmax in float)")}";
        if (name == AttentionMask?.Name) return "attention mask: ones over history + new tokens";
        if (name == PositionIds?.Name) return "positions: each fed token's absolute position";
        if (name == CacheBranch?.Name) return "merged-decoder switch: false on the first step, true after";
        foreach (var s in State)
        {
            string kind = s.Grows ? "key/value cache, grows by the tokens fed" : "recurrent state";
            if (name == s.Input) return $"state → {s.Output} ({kind}, kept as {s.ElementType.ToOnnxString()})";
            if (name == s.Output) return $"state fed back as {s.Input}";
        }
        return "not read";
    }

    /// <summary>One line for logs: which mode and which optional inputs are fed.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (State.Length == 0) parts.Add("full-sequence (no state: the history is re-run each call)");
        else if (State.Any(s => s.Grows)) parts.Add($"incremental, {State.Length} growing key/value cache tensor(s)");
        else parts.Add($"incremental, {State.Length} recurrent state tensor(s)");
        if (State.Length > 0 && State[0].ElementType != OnnxElementType.Float) parts.Add($"{State[0].ElementType.ToOnnxString()} state");
        if (LogitsType != OnnxElementType.Float) parts.Add($"{LogitsType.ToOnnxString()} logits");
        if (AttentionMask is not null) parts.Add(AttentionMask.Name);
        if (PositionIds is not null) parts.Add(PositionIds.Name);
        if (CacheBranch is not null) parts.Add($"{CacheBranch.Name} (false on the first step)");
        if (StaticBatch) parts.Add("static batch 1 (rows run one at a time)");
        if (Context is { } context) parts.Add($"context {context} tokens ({ContextSource})");
        return string.Join(", ", parts);
    }

    /// <param name="folderContext">The context a model folder's config.json or genai_config.json gives, with its source; null when none.</param>
    public static OnnxLmBinding Detect(OnnxSession session, LmIoSpec? io, (int Tokens, string Source)? folderContext = null)
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
        if (!OnnxTypedArrays.IsFloating(logitsInfo.ElementType))
            throw new MemScanException($"{session.ModelPath}: logits {logitsInfo} are not floating-point; MemScan reads float, float16, bfloat16 or double logits");

        bool staticBatch = idsInfo.Dims![0].Value == 1;
        var pairs = io?.State is { Count: > 0 } named ? named : GuessStatePairs(session);
        var batchName = idsInfo.Dims![0].Param;
        var state = new List<OnnxStateTensor>();
        foreach (var pair in pairs)
        {
            if (!inputs.TryGetValue(pair.Input, out var inInfo) || !outputs.TryGetValue(pair.Output, out var outInfo))
                throw new MemScanException($"{session.ModelPath}: state tensor pair {pair.Input} → {pair.Output} not found; {Describe()}");
            if (!OnnxTypedArrays.IsFloating(inInfo.ElementType) || inInfo.ElementType != outInfo.ElementType)
                throw new MemScanException($"{session.ModelPath}: state tensor pair {inInfo} → {outInfo} must be one floating-point type " +
                                           "(float, float16, bfloat16) on both sides: the output is fed back as the next step's input");
            state.Add(Layout(session, inInfo, pair.Output, batchName, staticBatch));
        }

        OnnxValueInfo? Optional(string name, bool allowBoolAndFloat)
        {
            if (!inputs.TryGetValue(name, out var info)) return null;
            bool typeOk = IsInteger(info) || (allowBoolAndFloat && info.ElementType is OnnxElementType.Bool or OnnxElementType.Float or OnnxElementType.Float16);
            if (!typeOk || info.Rank != 2)
                throw new MemScanException($"{session.ModelPath}: input {info} should be {(allowBoolAndFloat ? "int64, int32, bool or float" : "int64 or int32")} [batch, n]");
            return info;
        }
        var mask = Optional(AttentionMaskName, allowBoolAndFloat: true);
        var positions = Optional(PositionIdsName, allowBoolAndFloat: false);
        var cacheBranch = inputs.GetValueOrDefault(CacheBranchName);
        if (cacheBranch is not null && (cacheBranch.ElementType != OnnxElementType.Bool || cacheBranch.Rank > 1 || cacheBranch.Dims is [{ Value: not 1 }]))
            throw new MemScanException($"{session.ModelPath}: input {cacheBranch} should be a bool scalar or bool [1] (Optimum's merged-decoder switch)");

        var unfed = session.Inputs.Where(i => i.Name != inputIds && i.Name != mask?.Name && i.Name != positions?.Name &&
                                              i.Name != cacheBranch?.Name && state.All(s => s.Input != i.Name)).ToList();
        if (unfed.Count > 0)
            throw new MemScanException(
                $"{session.ModelPath}: MemScan does not know what to feed input(s) {string.Join(", ", unfed.Select(u => u.Name))} " +
                $"(it feeds token ids, {AttentionMaskName}, {PositionIdsName}, {CacheBranchName} and state/past tensors that have a matching output); " +
                $"{UnfedAdvice(session, unfed, state, logits)}; {Describe()}");
        var (context, contextSource) = FindContext(session, io, positions, folderContext);
        if (context is null && positions is not null && RotaryPositions.Uses(session.Info.Model.Graph, positions.Name))
            throw new MemScanException(
                $"{session.ModelPath}: rotary positions (position_ids → Cos/Sin) with no position table, so MemScan cannot tell the model's context; " +
                "put config.json with max_position_embeddings beside the model (or scan the model's folder), " +
                "or pass --profile with {\"context\": N}");
        return new OnnxLmBinding(inputIds, logits, (int)vocab, state.ToArray(), mask, positions, context, contextSource)
        {
            CacheBranch = cacheBranch,
            StaticBatch = staticBatch,
            LogitsType = logitsInfo.ElementType,
        };
    }

    /// <summary>
    /// The decoder without past of a two-file pair (Optimum's <c>decoder_model.onnx</c> beside
    /// <c>decoder_with_past_model.onnx</c>): it takes the same token ids (and mask, positions) with
    /// no state inputs and must return every present the decoder with past takes back, in the same type.
    /// </summary>
    public static OnnxLmBinding DetectFirstStep(OnnxSession first, OnnxLmBinding withPast, LmIoSpec? io)
    {
        var binding = Detect(first, io is null ? null : io with { State = [] });
        var outputs = first.Outputs.ToDictionary(o => o.Name);
        if (binding.State.Length > 0)
            throw new MemScanException($"{first.ModelPath} is the first-step decoder of a pair but takes state inputs ({string.Join(", ", binding.State.Select(s => s.Input))}); " +
                                       "scan decoder_with_past_model.onnx alone, or the merged decoder");
        if (binding.Vocab != withPast.Vocab || binding.Logits != withPast.Logits)
            throw new MemScanException($"{first.ModelPath}: its logits ({binding.Logits}, vocab {binding.Vocab}) differ from the decoder with past's ({withPast.Logits}, vocab {withPast.Vocab})");
        foreach (var s in withPast.State)
            if (!outputs.TryGetValue(s.Output, out var info) || info.ElementType != s.ElementType)
                throw new MemScanException($"{first.ModelPath}: the first-step decoder must return {s.Output} ({s.ElementType.ToOnnxString()}) for the decoder with past to take back as {s.Input}; " +
                                           $"its outputs are {string.Join(", ", first.Outputs)}");
        return binding;
    }

    /// <summary>
    /// What would make unfed inputs work, without advice that leads nowhere: a profile's state list
    /// only helps when an output could carry the input's next value; otherwise the model needs an
    /// input MemScan has no value for, and only another export helps.
    /// </summary>
    static string UnfedAdvice(OnnxSession session, List<OnnxValueInfo> unfed, List<OnnxStateTensor> state, string logits)
    {
        var usedOutputs = state.Select(s => s.Output).Append(logits).ToHashSet(StringComparer.Ordinal);
        var advice = new List<string>();
        foreach (var input in unfed)
        {
            var candidates = session.Outputs.Where(o => !usedOutputs.Contains(o.Name) && o.ElementType == input.ElementType && o.Rank == input.Rank).Select(o => o.Name).ToList();
            advice.Add(OnnxTypedArrays.IsFloating(input.ElementType) && candidates.Count > 0
                ? $"if {input.Name} is state fed back from one of {string.Join(", ", candidates)}, name the pair in a profile " +
                  $"(--profile with {{\"state\": [{{\"input\": \"{input.Name}\", \"output\": \"{candidates[0]}\"}}]}})"
                : $"{input.Name} is no input a causal language model needs and no output carries its next value; " +
                  "re-export the model without it (e.g. a decoder-only export with input_ids, attention_mask and past key/values)");
        }
        return string.Join("; ", advice);
    }

    /// <summary>The context and where it came from: io.context first, then the graph's position table.</summary>
    static (int?, string?) FindContext(OnnxSession session, LmIoSpec? io, OnnxValueInfo? positions, (int Tokens, string Source)? folderContext)
    {
        if (io?.Context is { } given) return (given, "io.context");
        if (positions is not null && PositionTable.Find(session.Info.Model.Graph, positions.Name) is { } table)
            return (table.Rows, $"position table {table.Name} [{table.Rows}, {table.Width}]");
        if (folderContext is { } folder) return (folder.Tokens, folder.Source);
        return (null, null);
    }

    static bool IsInteger(OnnxValueInfo i) => i.ElementType is OnnxElementType.Int64 or OnnxElementType.Int32;

    /// <summary>Finds the batch and history axes of a state input (see the class rules).</summary>
    static OnnxStateTensor Layout(OnnxSession session, OnnxValueInfo input, string output, string? batchName, bool staticBatch)
    {
        var dims = input.Dims ?? [];
        var dynamic = Enumerable.Range(0, dims.Count).Where(i => !dims[i].IsFixed).ToList();
        // A static batch-1 export fixes the batch axis at 1: taking the first dynamic axis (the
        // past length) for the batch would misread the cache. With one row any axis of size 1
        // lays the data out alike, so the first one serves.
        int batchAxis = staticBatch ? Enumerable.Range(0, dims.Count).FirstOrDefault(i => dims[i].Value == 1, -1)
            : batchName is not null && dynamic.Any(i => dims[i].Param == batchName)
            ? dynamic.First(i => dims[i].Param == batchName)
            : dynamic.FirstOrDefault(-1);
        var others = dynamic.Where(i => i != batchAxis).ToList();
        if (batchAxis < 0 || others.Count > 1 || (others.Count == 1 && others[0] < batchAxis))
            throw new MemScanException(
                $"{session.ModelPath}: state input {input} needs a {(staticBatch ? "batch axis fixed at 1 (input_ids' batch is 1)" : "dynamic batch axis")}, " +
                "at most one dynamic history axis after it (past sequence length) and fixed other dims; " +
                "re-export it with those axes, or name the true state pairs in a profile if this input is no state");
        var fixedDims = dims.Select(d => d.Value ?? 0).ToArray();
        if (staticBatch) fixedDims[batchAxis] = 0;
        return new OnnxStateTensor(input.Name, output, fixedDims, batchAxis, others.Count == 1 ? others[0] : -1, input.ElementType);
    }

    /// <summary>Floating-point inputs X with an output named like X with in→out, 0→n, past→present.</summary>
    static List<StatePair> GuessStatePairs(OnnxSession session)
    {
        var outputNames = session.Outputs.Select(o => o.Name).ToHashSet();
        var pairs = new List<StatePair>();
        foreach (var input in session.Inputs.Where(i => OnnxTypedArrays.IsFloating(i.ElementType)))
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
