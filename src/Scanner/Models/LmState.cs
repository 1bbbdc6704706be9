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

    public static LmState Empty(int stateTensors) => new()
    {
        History = [],
        Tensors = Enumerable.Range(0, stateTensors).Select(_ => Array.Empty<float>()).ToArray(),
        NextLogProbs = [],
    };
}
