using System.CommandLine;
using MemScan.Trainer.Privacy;

namespace MemScan.Trainer.Cli;

/// <summary>
/// The DP-SGD options of the language-model trainers (<c>lm</c>, <c>gpt</c>): target ε or noise
/// multiplier, per-example clip norm, δ. Given on the command line they override the config's dp block.
/// </summary>
public sealed class DpOptions
{
    readonly Option<double?> targetEpsilon = new("--target-epsilon") { Description = "dp-sgd: epsilon to reach at delta (noise is calibrated by the RDP accountant)" };
    readonly Option<double?> noiseMultiplier = new("--noise-multiplier") { Description = "dp-sgd: noise multiplier sigma (instead of --target-epsilon)" };
    readonly Option<double?> clip = new("--dp-clip") { Description = "dp-sgd: per-example gradient clip norm C (default 1)" };
    readonly Option<double?> delta = new("--delta") { Description = "dp-sgd: delta (default 1e-5)" };

    public IEnumerable<Option> All => [targetEpsilon, noiseMultiplier, clip, delta];

    /// <summary>The config's dp block with the options given applied; unchanged when none was given.</summary>
    public DpConfig? Apply(ParseResult parsed, DpConfig? fromConfig)
    {
        double? eps = parsed.GetValue(targetEpsilon), sigma = parsed.GetValue(noiseMultiplier);
        double? clipC = parsed.GetValue(clip), dlt = parsed.GetValue(delta);
        if (eps is null && sigma is null && clipC is null && dlt is null) return fromConfig;
        var dp = fromConfig ?? new DpConfig();
        // An option for one of sigma/epsilon replaces whichever the config file chose.
        if (eps is not null) dp = dp with { TargetEpsilon = eps, NoiseMultiplier = null };
        if (sigma is not null) dp = dp with { NoiseMultiplier = sigma, TargetEpsilon = eps };
        return dp with { ClipNorm = clipC ?? dp.ClipNorm, Delta = dlt ?? dp.Delta };
    }
}
