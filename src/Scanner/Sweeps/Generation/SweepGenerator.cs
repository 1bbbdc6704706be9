using MemScan.Scanner.Models;

namespace MemScan.Scanner.Sweeps;

/// <summary>
/// Samples continuations for a batch of sample indices together, one token per model run (the
/// model's state is carried, so an LSTM or a KV-cached transformer does L small runs), as one
/// <see cref="LanguageModel.Decode"/> loop (an isolated model runs it in its host). Token t of
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
        // Step 0 is drawn here from the prompt states' full rows; the rest is one decoding loop that
        // an isolated model runs in its host, with the same draws (SampleRandom at steps 1..).
        var first = new int[count][];
        for (int r = 0; r < count; r++)
        {
            double u = SampleRandom.Uniform(settings.Seed, indices[r], SampleRandom.TokenStream, 0);
            float[] next = promptStates[r].NextLogProbs;
            int token = TopKSampler.Sample(next, settings.TopK, settings.Temperature.At(0), u);
            tokens[r][0] = token;
            logProbs[r][0] = next[token];
            first[r] = [token];
        }
        var sampling = new DecodeSampling(settings.Seed, indices, settings.Temperature, settings.TopK, FirstStep: 1);
        var rest = model.Decode(new DecodeRequest(promptStates, first, settings.Tokens - 1, sampling));
        for (int r = 0; r < count; r++)
        {
            rest.Tokens[r].CopyTo(tokens[r], 1);
            rest.LogProbs[r].CopyTo(logProbs[r], 1);
        }
        return indices.Select((index, r) => new GeneratedSample(index, conditioning[r], tokens[r], logProbs[r], promptStates[r])).ToArray();
    }
}
