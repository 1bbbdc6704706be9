using MemScan.Scanner.Metrics;
using MemScan.Scanner.Models;
using MemScan.Scanner.Tokenizers;

namespace MemScan.Scanner.Sweeps;

/// <summary>
/// A second language model (e.g. a smaller one, or one trained without the data in question) whose
/// loss calibrates the target's: text every model finds easy is discounted (<see cref="ReferenceRatio"/>).
/// It may have its own tokenizer: each model scores the text in its own tokens, as in the paper's
/// ln-perplexity ratio; the prompt is fed first so both are conditioned alike. A sample that passes
/// the reference's context in its tokens gets NaN (no ratio) instead of failing the sweep: the
/// target's context was checked up front, the reference's tokenization of the text cannot be.
/// </summary>
public sealed class ReferenceModel(LanguageModel model, ITextTokenizer tokenizer) : IDisposable
{
    /// <summary>The reference model's context, when it has one.</summary>
    public int? Context => model.MaxSequenceLength;

    /// <summary>Mean −ln p per token of each text after its prompt; NaN when the text has no token or does not fit the context.</summary>
    public double[] MeanLoss(IReadOnlyList<(string Prompt, string Text)> samples)
    {
        var prompts = samples.Select(s => tokenizer.Encode(s.Prompt)).ToArray();
        var texts = samples.Select(s => tokenizer.Encode(s.Text)).ToArray();
        var losses = new double[samples.Count];
        Array.Fill(losses, double.NaN);
        var fits = Enumerable.Range(0, samples.Count).Where(i => model.Fits(prompts[i].Length + texts[i].Length)).ToArray();
        var states = model.Advance(Enumerable.Repeat(model.Initial, fits.Length).ToArray(), fits.Select(i => prompts[i]).ToArray());
        model.Advance(states, fits.Select(i => texts[i]).ToArray(), out var logProbs);
        for (int k = 0; k < fits.Length; k++)
        {
            int i = fits[k];
            // an empty prompt leaves no distribution for the first text token: score from the second
            ReadOnlySpan<float> scored = prompts[i].Length == 0 && logProbs[k].Length > 0 ? logProbs[k].AsSpan(1) : logProbs[k];
            losses[i] = scored.IsEmpty ? double.NaN : SequenceLoss.Mean(scored);
        }
        return losses;
    }

    public void Dispose() => model.Dispose();
}
