namespace MemScan.Scanner.Models;

/// <summary>Greedy decoding of many prompts together, one token per model run.</summary>
public static class GreedyDecoding
{
    /// <summary>The <paramref name="tokens"/> most likely next tokens after each prompt, each fed back in turn.</summary>
    /// <remarks>
    /// Each state is asked for only its most likely next token (the first maximum, as an arg-max
    /// over the full row picks), so an isolated model ships one id and one value per row, not the vocabulary.
    /// </remarks>
    public static int[][] Decode(LanguageModel model, IReadOnlyList<int[]> prompts, int tokens)
    {
        var states = model.Advance(Enumerable.Repeat(model.Initial, prompts.Count).ToArray(), prompts, topNext: 1);
        var output = prompts.Select(_ => new int[tokens]).ToArray();
        for (int t = 0; t < tokens; t++)
        {
            var next = states.Select(s => s.Top!.Tokens[0]).ToArray();
            for (int i = 0; i < next.Length; i++) output[i][t] = next[i];
            if (t < tokens - 1) states = model.Advance(states, next.Select(n => new[] { n }).ToArray(), topNext: 1);
        }
        return output;
    }
}
