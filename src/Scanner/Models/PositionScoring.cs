using MemScan.Scanner.Metrics;

namespace MemScan.Scanner.Models;

/// <summary>
/// At every position t ≥ 1 of a sequence: log p(token_t | tokens_&lt;t) and its Min-K%++ standardized
/// score, (log p(token_t) − μ) / σ under the position's whole next-token distribution.
/// </summary>
public sealed record PositionScores(float[] LogProbs, double[] Standardized);

/// <summary>
/// The scoring loop behind <see cref="LanguageModel.ScorePositions"/>: the sequences stepped one
/// token at a time from the initial state, each step's whole next-token row read where the model
/// runs. Through the isolated host that row is 50,257 floats a position for a GPT-2 vocabulary;
/// run inside the host, only the two numbers per position cross the pipe.
/// </summary>
public static class PositionScoring
{
    /// <summary>Every sequence has at least 2 tokens (checked by <see cref="LanguageModel.ScorePositions"/>).</summary>
    internal static PositionScores[] Run(LanguageModel model, IReadOnlyList<int[]> sequences)
    {
        int n = sequences.Count;
        var logProbs = sequences.Select(s => new float[s.Length - 1]).ToArray();
        var standardized = sequences.Select(s => new double[s.Length - 1]).ToArray();
        var states = model.Advance(Enumerable.Repeat(model.Initial, n).ToArray(), sequences.Select(s => new[] { s[0] }).ToArray());
        var active = Enumerable.Range(0, n).ToArray();
        for (int t = 1; active.Length > 0; t++)
        {
            // states[k] has consumed tokens 0..t-1 of sequence active[k]: its row predicts token t
            for (int k = 0; k < active.Length; k++)
            {
                int i = active[k];
                var row = states[k].NextLogProbs;
                int token = sequences[i][t];
                logProbs[i][t - 1] = row[token];
                standardized[i][t - 1] = MinKPlusPlus.TokenScores([row], [token])[0];
            }
            var next = Enumerable.Range(0, active.Length).Where(k => sequences[active[k]].Length > t + 1).ToArray();
            if (next.Length == 0) break;
            states = model.Advance(next.Select(k => states[k]).ToArray(), next.Select(k => new[] { sequences[active[k]][t] }).ToArray());
            active = next.Select(k => active[k]).ToArray();
        }
        return Enumerable.Range(0, n).Select(i => new PositionScores(logProbs[i], standardized[i])).ToArray();
    }
}
