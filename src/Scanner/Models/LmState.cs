namespace MemScan.Scanner.Models;

/// <summary>
/// Where one sequence stands in a language model: the tokens consumed, the model's recurrent or
/// cached state after them (one flat slice per state tensor; empty for full-sequence models), and
/// the log-probabilities (natural log) of the next token.
/// </summary>
public sealed class LmState
{
    public required int[] History { get; init; }
    public required float[][] Tensors { get; init; }
    /// <summary>log p(next token | history), length = vocabulary size. Empty before any token.</summary>
    public required float[] NextLogProbs { get; init; }

    /// <summary>
    /// For a model run in the isolated host: which host keeps this state's tensors (the
    /// <see cref="Tensors"/> here are then empty) and under which handle. Null for in-process models.
    /// </summary>
    internal object? HostOwner { get; init; }
    internal long HostHandle { get; init; }

    public static LmState Empty(int stateTensors) => new()
    {
        History = [],
        Tensors = Enumerable.Range(0, stateTensors).Select(_ => Array.Empty<float>()).ToArray(),
        NextLogProbs = [],
    };
}
