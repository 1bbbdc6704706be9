namespace MemScan.Scanner.Models;

/// <summary>Greedy decoding of many prompts together, one token per model run.</summary>
public static class GreedyDecoding
{
    /// <summary>The <paramref name="tokens"/> most likely next tokens after each prompt, each fed back in turn.</summary>
    /// <remarks>
    /// One <see cref="LanguageModel.Decode"/> loop: each state is asked for only its most likely
    /// next token (the first maximum, as an arg-max over the full row picks), and an isolated model
    /// runs the whole loop in its host, so the pipe carries the generated tokens, not one round trip each.
    /// </remarks>
    public static int[][] Decode(LanguageModel model, IReadOnlyList<int[]> prompts, int tokens) =>
        model.Decode(new DecodeRequest(Enumerable.Repeat(model.Initial, prompts.Count).ToArray(), prompts, tokens)).Tokens;
}
