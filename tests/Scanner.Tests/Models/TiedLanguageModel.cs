using MemScan.Scanner.Models;

namespace MemScan.Scanner.Tests.Models;

/// <summary>
/// A stand-in language model whose token costs are exact binary fractions (1, 1.5 or 2 nats by
/// token and depth), so that many candidates of a space share their NLL to the last bit whatever
/// order their sums are taken in: the case the tie rule exists for, which a trained or hashed model
/// practically never produces. Not normalized; the searches only add log-probs.
/// </summary>
public sealed class TiedLanguageModel(int vocab) : LanguageModel
{
    public override int VocabSize => vocab;
    public override bool Incremental => false;
    public override LmState Initial { get; } = LmState.Empty(0);

    protected override LmState[] AdvanceBatch(LmState[] states, int[][] tokens, float[][]? tokenLogProbs)
    {
        var result = new LmState[states.Length];
        for (int r = 0; r < states.Length; r++)
        {
            var history = states[r].History.ToList();
            for (int t = 0; t < tokens[r].Length; t++)
            {
                if (t > 0 && tokenLogProbs is not null) tokenLogProbs[r][t] = Row(history.Count)[tokens[r][t]];
                history.Add(tokens[r][t]);
            }
            result[r] = new LmState { History = history.ToArray(), Tensors = [], NextLogProbs = Row(history.Count) };
        }
        return result;
    }

    /// <summary>Next-token log-probs at a depth: -(1 + ((token + depth) mod 3) / 2).</summary>
    float[] Row(int depth) => Enumerable.Range(0, vocab).Select(token => -(1f + (token + depth) % 3 * 0.5f)).ToArray();

    public override void Dispose() { }
}
