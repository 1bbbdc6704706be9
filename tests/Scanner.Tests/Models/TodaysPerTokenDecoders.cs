using MemScan.Scanner.Models;
using MemScan.Scanner.Sweeps;

namespace MemScan.Scanner.Tests.Models;

/// <summary>
/// Greedy decoding and the sweep's sampling as they were written before <see cref="LanguageModel.Decode"/>:
/// one Advance per generated token, the caller picking each token. The reference the whole-loop
/// paths (in process and in the isolated host) must equal bit for bit.
/// </summary>
internal static class TodaysPerTokenDecoders
{
    public static int[][] Greedy(LanguageModel model, IReadOnlyList<int[]> prompts, int tokens)
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

    /// <summary>The sweep's samples (tokens, log-probs) for indices firstIndex.. of the prompts.</summary>
    public static (int[][] Tokens, float[][] LogProbs) Sweep(LanguageModel model, PromptSource prompts, SweepSettings settings, long firstIndex, int count)
    {
        var indices = Enumerable.Range(0, count).Select(k => firstIndex + k).ToArray();
        var states = model.Advance(Enumerable.Repeat(model.Initial, count).ToArray(),
            indices.Select(i => prompts.For(settings.Seed, i).Tokens).ToArray());
        var tokens = indices.Select(_ => new int[settings.Tokens]).ToArray();
        var logProbs = indices.Select(_ => new float[settings.Tokens]).ToArray();
        bool askTopK = settings.TopK > 0 && settings.TopK < model.VocabSize;
        for (int t = 0; t < settings.Tokens; t++)
        {
            for (int r = 0; r < count; r++)
            {
                double u = SampleRandom.Uniform(settings.Seed, indices[r], SampleRandom.TokenStream, t);
                double temperature = settings.Temperature.At(t);
                int token = states[r].Top is { } top
                    ? TopKSampler.Sample(top, temperature, u)
                    : TopKSampler.Sample(states[r].NextLogProbs, settings.TopK, temperature, u);
                tokens[r][t] = token;
                logProbs[r][t] = states[r].NextLogProb(token);
            }
            var step = tokens.Select(row => new[] { row[t] }).ToArray();
            if (t < settings.Tokens - 1) states = askTopK ? model.Advance(states, step, settings.TopK) : model.Advance(states, step);
        }
        return (tokens, logProbs);
    }
}
