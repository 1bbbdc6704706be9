using MemScan.Scanner.Metrics;
using MemScan.Scanner.Models;
using MemScan.Scanner.Tokenizers;

namespace MemScan.Scanner.Sweeps;

/// <summary>
/// A second language model (e.g. a smaller one, or one trained without the data in question) whose
/// loss calibrates the target's: text every model finds easy is discounted (<see cref="ReferenceRatio"/>).
/// It may have its own tokenizer: each model scores the text in its own tokens, as in the paper's
/// ln-perplexity ratio; the prompt is fed first so both are conditioned alike.
/// </summary>
public sealed class ReferenceModel(LanguageModel model, ITextTokenizer tokenizer) : IDisposable
{
    /// <summary>Mean −ln p per token of each text after its prompt; NaN when the text has no token.</summary>
    public double[] MeanLoss(IReadOnlyList<(string Prompt, string Text)> samples)
    {
        var prompts = samples.Select(s => tokenizer.Encode(s.Prompt)).ToArray();
        var texts = samples.Select(s => tokenizer.Encode(s.Text)).ToArray();
        var states = model.Advance(Enumerable.Repeat(model.Initial, samples.Count).ToArray(), prompts);
        model.Advance(states, texts, out var logProbs);
        var losses = new double[samples.Count];
        for (int i = 0; i < losses.Length; i++)
        {
            // an empty prompt leaves no distribution for the first text token: score from the second
            ReadOnlySpan<float> scored = prompts[i].Length == 0 && logProbs[i].Length > 0 ? logProbs[i].AsSpan(1) : logProbs[i];
            losses[i] = scored.IsEmpty ? double.NaN : SequenceLoss.Mean(scored);
        }
        return losses;
    }

    public void Dispose() => model.Dispose();
}
