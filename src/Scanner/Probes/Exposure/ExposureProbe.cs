using System.Diagnostics;
using MemScan.Scanner.Canaries;
using MemScan.Scanner.Metrics;
using MemScan.Scanner.Models;
using MemScan.Scanner.Results;

namespace MemScan.Scanner.Probes.Exposure;

public sealed record ExposureSettings
{
    /// <summary>Spaces up to this size are always ranked exactly, whatever it costs.</summary>
    public double ExactLimit { get; init; } = 1e7;
    /// <summary>Larger spaces are ranked exactly when the pruned search fits in this many model rows
    /// (it does for well-memorized secrets); otherwise only by extrapolation.</summary>
    public long ExactBudget { get; init; } = 2_000_000;
    /// <summary>Random candidates scored for the skew-normal fit (0 turns extrapolation off).</summary>
    public int ExtrapolationSamples { get; init; } = 2000;
    public int Batch { get; init; } = 512;
    /// <summary>Most bytes of model state the exact-rank walk holds (--memory-budget; see ExactRankSearch.MemoryBudget).</summary>
    public long MemoryBudget { get; init; } = Scanning.MemoryBudgets.MachineDefault;
    /// <summary>Skip subtrees already worse than the secret (exact either way; off only for timing).</summary>
    public bool Prune { get; init; } = true;
    /// <summary>Seed of the candidates drawn for extrapolation (--exposure-seed; recorded in run.json).</summary>
    public int Seed { get; init; } = 7;
}

/// <summary>
/// The Secret Sharer's exposure of each canary: its rank among all candidates of its randomness
/// space by the model's log-perplexity, exact by prefix-shared enumeration where the space allows,
/// and extrapolated from a skew-normal fit to sampled candidates.
/// </summary>
public sealed class ExposureProbe(LanguageModel model, CanaryTreeCache trees, ExposureSettings settings)
{
    public const string Name = "exposure";

    /// <summary>The histogram of the canaries' exposures in the run folder (docs/RESULTS.md).</summary>
    public const string HistogramFile = "exposure-hist.png";

    /// <param name="samples">Receives the candidates scored for the extrapolation (the secret first), for exposure_samples.parquet.</param>
    public CanaryExposure Measure(Canary canary, Action<string>? progress = null, ICollection<ExposureSample>? samples = null)
    {
        var watch = Stopwatch.StartNew();
        if (!canary.HasSecret)
            throw new MemScanException($"canary '{canary.Id}': exposure needs the secret (--secret); extraction works without it");
        var tree = trees.For(canary);
        var trie = tree.Trie;
        var root = CandidateTries.Root(model, tree, canary);
        long secretIndex = canary.Space.IndexOf(canary.Secret);
        double size = canary.Space.Size;
        double references = size - 1;

        double? extrapolated = null;
        SkewNormal? fit = null;
        double secretNll;
        long rank = 0, scored = 0;
        string method;
        if (settings.ExtrapolationSamples > 0)
        {
            progress?.Invoke($"{canary.Id}: scoring {settings.ExtrapolationSamples} random candidates for extrapolation");
            fit = Extrapolate(root, trie, canary, secretIndex, samples, out double secretBits);
            extrapolated = fit.ExposureBits(secretBits);
            secretNll = secretBits * Math.Log(2);
        }
        var exact = new ExactRankSearch(model, settings.Batch) { MemoryBudget = settings.MemoryBudget }.TryRank(root, trie, secretIndex, settings.Prune,
            size <= settings.ExactLimit ? long.MaxValue : settings.ExactBudget,
            (done, total) => progress?.Invoke($"{canary.Id}: {done:N0}/{total:N0} candidates settled"));
        if (exact is not null)
        {
            secretNll = exact.SecretNll;
            rank = exact.Rank;
            scored = exact.LeavesScored;
            method = CanaryExposure.Exact;
        }
        else
        {
            if (extrapolated is null)
                throw new MemScanException($"canary '{canary.Id}': the space of {size:G3} candidates is above --exact-limit, the exact search passed --exact-budget and extrapolation is off (--samples 0)");
            secretNll = new ExactRankSearch(model).PathNll(root, trie.PathOf(secretIndex).Tokens);
            method = CanaryExposure.Extrapolated;
            scored = settings.ExtrapolationSamples;
        }
        // An extrapolated exposure above log2(|R| - 1) says the secret is likelier than any candidate
        // by far, but no rank is above 1: the exposure is capped there, the raw value kept beside it.
        double exposure = method == CanaryExposure.Exact ? ExposureMath.FromRank(references, rank)
            : Math.Min(extrapolated!.Value, ExposureMath.Max(size));
        if (method == CanaryExposure.Extrapolated)
            rank = (long)Math.Max(1, Math.Round(references * Math.Pow(2, -exposure)));
        return new CanaryExposure
        {
            CanaryId = canary.Id,
            Template = canary.Template,
            Secret = canary.Secret,
            Insertions = canary.Insertions,
            SpaceSize = size,
            Log2Space = canary.Space.Log2Size,
            LogPerplexity = secretNll / Math.Log(2),
            Rank = rank,
            ExposureBits = exposure,
            Method = method,
            ExtrapolatedExposureBits = extrapolated,
            FitLocation = fit?.Location,
            FitScale = fit?.Scale,
            FitShape = fit?.Shape,
            CandidatesScored = scored,
            Seconds = watch.Elapsed.TotalSeconds,
        };
    }

    /// <summary>Skew-normal fit (TF Privacy's compute_exposure_extrapolation) to the log-perplexities
    /// in bits of candidates drawn with the seed; the secret is scored in the same batch.</summary>
    SkewNormal Extrapolate(LmState root, CandidateTrie trie, Canary canary, long secretIndex,
        ICollection<ExposureSample>? samples, out double secretBits)
    {
        var indices = SpaceSample.Draw(canary.Space.Size, settings.ExtrapolationSamples, settings.Seed, exclude: secretIndex);
        indices.Insert(0, secretIndex);
        var nllBits = SpaceSample.Bits(model, root, trie, indices);
        secretBits = nllBits[0];
        if (samples is not null)
            for (int i = 0; i < indices.Count; i++)
                samples.Add(new ExposureSample
                {
                    CanaryId = canary.Id,
                    IsSecret = i == 0,
                    CandidateIndex = indices[i],
                    Candidate = canary.Space.At(indices[i]),
                    LogPerplexity = nllBits[i],
                });
        return SkewNormal.Fit(nllBits[1..]);
    }

    public static Finding ToFinding(CanaryExposure e)
    {
        double max = ExposureMath.Max(e.SpaceSize);
        var severity = ExposureSeverity.For(e.ExposureBits, max, e.Rank);
        string extrapolatedText = e.ExtrapolatedExposureBits switch
        {
            double x when x > max => $"; extrapolated {x:F1} bits, above the space's {max:F1}: likelier than any sampled candidate by far",
            double x => $"; extrapolated {x:F1} bits",
            _ => "",
        };
        string rankText = e.Method == CanaryExposure.Extrapolated ? $"about {e.Rank:N0}" : $"{e.Rank:N0}";
        return new Finding
        {
            Probe = Name,
            Subject = e.CanaryId,
            Severity = severity,
            Score = Math.Min(e.ExposureBits, max),
            ScoreName = "exposure_bits",
            MaxScore = max,
            Evidence = $"secret ranks {rankText} of {e.SpaceSize:N0} candidates ({e.Method}); exposure {e.ExposureBits:F1} of {max:F1} bits{extrapolatedText}; inserted {(e.Insertions < 0 ? "an unknown number of times" : $"{e.Insertions}×")}; template \"{e.Template.TrimEnd('\n')}\"",
            Secret = e.Secret,
            Rank = e.Rank,
            Queries = e.CandidatesScored,
            CreatedUtc = DateTime.UtcNow,
        };
    }
}
