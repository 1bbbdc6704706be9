namespace MemScan.Scanner.Models;

/// <summary>
/// Where one sequence stands in a language model: the tokens consumed, the model's recurrent or
/// cached state after them (one flat slice per state tensor; empty for full-sequence models), and
/// the log-probabilities (natural log) of the next token: the full row, or only the tokens the
/// caller of Advance asked for (<see cref="Wanted"/>), or only the k most likely (<see cref="Top"/>).
/// </summary>
public sealed class LmState
{
    readonly float[] _nextLogProbs = [];

    public required int[] History { get; init; }
    /// <summary>
    /// One slice per state tensor, in the tensor's own element type (float[], or ORT's Float16[] for a
    /// float16 cache). For a key/value cache shared with this state's ancestors (<see cref="Cache"/>
    /// set), only the positions this state added: the rest are its ancestors' links.
    /// </summary>
    public required Array[] Tensors { get; init; }

    /// <summary>
    /// This state's key/value-cache link when its cache is shared with its ancestors (its own
    /// positions, and its parent's link for the ones before); null when <see cref="Tensors"/> hold
    /// every position (recurrent state, a full copy, or a model that does not share).
    /// </summary>
    internal KvCacheLink? Cache { get; init; }

    /// <summary>
    /// log p(next token | history), length = vocabulary size. Empty before any token. Only there
    /// when the full row was asked for: a state made with wanted next tokens throws here.
    /// </summary>
    public float[] NextLogProbs
    {
        get => Wanted is null && Top is null ? _nextLogProbs : throw new InvalidOperationException(
            $"this state carries the next-token log-probs of only the {Wanted?.Tokens.Length ?? Top!.Tokens.Length} token(s) its Advance asked for; " +
            "use NextLogProb(token) or Top, or ask Advance for the full row");
        init => _nextLogProbs = value;
    }

    /// <summary>The next-token log-probs for only the tokens asked for, or null when the state has the full row.</summary>
    public WantedNextLogProbs? Wanted { get; init; }

    /// <summary>The k most likely next tokens and their log-probs, or null unless Advance was asked for them.</summary>
    public TopNextLogProbs? Top { get; init; }

    /// <summary>True once a token was consumed: there is a next-token distribution (full, wanted tokens only, or the top k).</summary>
    public bool HasNextDistribution => Wanted is not null || Top is not null || _nextLogProbs.Length > 0;

    /// <summary>log p(<paramref name="token"/> | history), from the full row or the wanted tokens.</summary>
    /// <exception cref="InvalidOperationException">The state was made without <paramref name="token"/> among its wanted tokens: a bug in the caller.</exception>
    public float NextLogProb(int token)
    {
        if (Top is not null)
        {
            if (Top.TryGet(token, out float topLogProb)) return topLogProb;
            throw new InvalidOperationException(
                $"next-token log-prob of token {token} was not asked for: this state's Advance asked for the {Top.Tokens.Length} most likely token(s) " +
                $"({string.Join(", ", Top.Tokens.Take(8))}{(Top.Tokens.Length > 8 ? ", ..." : "")})");
        }
        if (Wanted is null) return _nextLogProbs[token];
        if (Wanted.TryGet(token, out float logProb)) return logProb;
        throw new InvalidOperationException(
            $"next-token log-prob of token {token} was not asked for: this state's Advance wanted only " +
            $"{Wanted.Tokens.Length} token(s) ({string.Join(", ", Wanted.Tokens.Take(8))}{(Wanted.Tokens.Length > 8 ? ", ..." : "")})");
    }

    /// <summary>
    /// For a model run in the isolated host: which host keeps this state's tensors (the
    /// <see cref="Tensors"/> here are then empty) and under which handle. Null for in-process models.
    /// </summary>
    internal object? HostOwner { get; init; }
    internal long HostHandle { get; init; }

    /// <summary>
    /// Bytes this process holds for the state's tensors (the model's cache or recurrent state; 0
    /// for a state kept by the isolated host), every position of a shared cache included (its
    /// ancestors' links too): what this state keeps alive when it is the only one held, an upper
    /// bound. A set of states that share prefixes is counted by <see cref="HeldStateBytes"/>, each
    /// shared link once: that is what the searches and the host's state table count.
    /// </summary>
    public long TensorBytes => (Cache?.ChainBytes ?? 0) + UnlinkedTensorBytes;

    /// <summary>Bytes of the tensors that are not in <see cref="Cache"/>'s link (recurrent state, or a cache copied whole).</summary>
    internal long UnlinkedTensorBytes
    {
        get
        {
            long bytes = 0;
            for (int k = 0; k < Tensors.Length; k++)
            {
                var t = Tensors[k];
                if (t.Length > 0 && (Cache is null || !ReferenceEquals(t, Cache.Own[k])))
                    bytes += (long)t.Length * Onnx.OnnxTypedArrays.ElementBytes(t);
            }
            return bytes;
        }
    }

    public static LmState Empty(int stateTensors) => new()
    {
        History = [],
        Tensors = Enumerable.Range(0, stateTensors).Select(_ => (Array)Array.Empty<float>()).ToArray(),
        NextLogProbs = [],
    };
}
