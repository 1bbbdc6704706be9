using MemScan.Scanner.Metrics;
using MemScan.Scanner.Models;
using MemScan.Scanner.Tokenizers;

namespace MemScan.Scanner.Sweeps;

/// <summary>
/// Scores generated samples with the membership signals of Carlini et al. 2021 (§5.2): target
/// log-perplexity, zlib ratio, lowercase ratio, sliding-window minimum, and the reference-model
/// ratio when a reference is given. Score directions are those of <see cref="Metrics"/>: lower is
/// likelier memorized, except the lowercase ratio (higher).
/// </summary>
public sealed class SampleScorer(LanguageModel model, ITextTokenizer tokenizer, int window, ReferenceModel? reference = null)
{
    public IReadOnlyList<SweepSampleRow> Score(IReadOnlyList<GeneratedSample> samples, long seed, int shard, DateTime createdUtc)
    {
        var texts = samples.Select(s => tokenizer.Decode(s.Tokens)).ToArray();
        var losses = samples.Select(s => SequenceLoss.Mean(s.LogProbs)).ToArray();
        var lowercase = LowercaseRatios(samples, texts, losses);
        double[]? referenceLosses = reference?.MeanLoss(samples.Select((s, i) => (s.Prompt.Text, texts[i])).ToArray());

        var rows = new SweepSampleRow[samples.Count];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = new SweepSampleRow
            {
                SampleIndex = samples[i].Index,
                Shard = shard,
                Prompt = samples[i].Prompt.Text,
                Text = texts[i],
                Tokens = samples[i].Tokens,
                LogPerplexity = losses[i],
                ZlibRatio = ZlibRatio.Compute(losses[i], texts[i]),
                LowercaseRatio = lowercase[i],
                WindowMinLogPerplexity = WindowPerplexity.MinMeanLoss(samples[i].LogProbs, window),
                ReferenceRatio = referenceLosses is null ? null
                    : double.IsFinite(referenceLosses[i]) && double.IsFinite(losses[i]) ? ReferenceRatio.Compute(losses[i], referenceLosses[i]) : double.NaN,
                Seed = seed,
                CreatedUtc = createdUtc,
            };
        }
        return rows;
    }

    /// <summary>Loss of the lowercased text after the same prompt / loss of the text; 1 when lowercasing changes nothing.</summary>
    double[] LowercaseRatios(IReadOnlyList<GeneratedSample> samples, string[] texts, double[] losses)
    {
        var ratios = new double[samples.Count];
        var changed = new List<int>();
        for (int i = 0; i < samples.Count; i++)
        {
            if (texts[i].ToLowerInvariant() == texts[i]) ratios[i] = 1;
            else changed.Add(i);
        }
        if (changed.Count == 0) return ratios;
        var encoded = changed.Select(i => tokenizer.Encode(texts[i].ToLowerInvariant())).ToArray();
        // a subword tokenizer may encode the lowercased text in more tokens than were generated;
        // one that then passes the context gets no ratio (NaN) rather than failing the sweep
        var fits = Enumerable.Range(0, changed.Count).Where(k => model.Fits(samples[changed[k]].PromptState.History.Length + encoded[k].Length)).ToArray();
        foreach (int k in Enumerable.Range(0, changed.Count).Except(fits)) ratios[changed[k]] = double.NaN;
        var lowered = fits.Select(k => encoded[k]).ToArray();
        changed = fits.Select(k => changed[k]).ToList();
        model.Advance(changed.Select(i => samples[i].PromptState).ToArray(), lowered, out var logProbs);
        for (int k = 0; k < changed.Count; k++)
        {
            int i = changed[k];
            ratios[i] = logProbs[k].Length == 0 || !(losses[i] > 0) || !double.IsFinite(losses[i])
                ? double.NaN
                : Metrics.LowercaseRatio.Compute(Math.Max(0, SequenceLoss.Mean(logProbs[k])), losses[i]);
        }
        return ratios;
    }
}
