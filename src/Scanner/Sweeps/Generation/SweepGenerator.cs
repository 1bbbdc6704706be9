using MemScan.Scanner.Models;

namespace MemScan.Scanner.Sweeps;

/// <summary>
/// Samples continuations for a batch of sample indices together, one token per model run (the
/// model's state is carried, so an LSTM or a KV-cached transformer does L small runs). Token t of
/// sample i is drawn with <see cref="SampleRandom"/>(seed, i, t): nothing else decides it.
/// </summary>
/// <remarks>
/// With a top-k cut below the vocabulary, each step asks the model for only the k most likely
/// next tokens (an isolated model then ships k ids and values per row, not the vocabulary); the
/// draw is the same arithmetic on the same log-probs as over the full row. The prompt states keep
/// full rows: the lowercase score feeds tokens after them that need not be among the top k.
/// </remarks>
public sealed class SweepGenerator(LanguageModel model, PromptSource prompts, SweepSettings settings)
{
    public IReadOnlyList<GeneratedSample> Generate(long firstIndex, int count)
    {
        var indices = Enumerable.Range(0, count).Select(k => firstIndex + k).ToArray();
        var conditioning = indices.Select(i => prompts.For(settings.Seed, i)).ToArray();
        var promptStates = model.Advance(Enumerable.Repeat(model.Initial, count).ToArray(),
            conditioning.Select(p => p.Tokens).ToArray());
        var tokens = indices.Select(_ => new int[settings.Tokens]).ToArray();
        var logProbs = indices.Select(_ => new float[settings.Tokens]).ToArray();
        var states = promptStates;
        var step = new int[count][];
        bool askTopK = settings.TopK > 0 && settings.TopK < model.VocabSize;
        for (int t = 0; t < settings.Tokens; t++)
        {
            double temperature = settings.Temperature.At(t);
            for (int r = 0; r < count; r++)
            {
                double u = SampleRandom.Uniform(settings.Seed, indices[r], SampleRandom.TokenStream, t);
                int token;
                if (states[r].Top is { } top)
                {
                    token = TopKSampler.Sample(top, temperature, u);
                    logProbs[r][t] = states[r].NextLogProb(token);
                }
                else
                {
                    float[] next = states[r].NextLogProbs;
                    token = TopKSampler.Sample(next, settings.TopK, temperature, u);
                    logProbs[r][t] = next[token];
                }
                tokens[r][t] = token;
                step[r] = [token];
            }
            if (t < settings.Tokens - 1) states = askTopK ? model.Advance(states, step, settings.TopK) : model.Advance(states, step);
        }
        return indices.Select((index, r) => new GeneratedSample(index, conditioning[r], tokens[r], logProbs[r], promptStates[r])).ToArray();
    }
}
