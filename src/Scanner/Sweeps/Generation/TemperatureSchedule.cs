using System.Globalization;

namespace MemScan.Scanner.Sweeps;

/// <summary>
/// Sampling temperature per generated token. Carlini et al. 2021 (§5.1.1, "Sampling with a decaying
/// temperature") start high (t = 10) so the model leaves its most likely opening, then anneal to
/// t = 1 over the first ~10% of the tokens so that, once a memorized sequence is entered, it is
/// followed at the model's own confidence. Decay is linear from <see cref="Start"/> to
/// <see cref="Final"/> over <see cref="DecayTokens"/> tokens; without a start it is constant.
/// </summary>
public sealed record TemperatureSchedule(double Final, double? Start = null, int DecayTokens = 0)
{
    public static TemperatureSchedule Constant(double t) => new(t);

    public double At(int token)
    {
        if (Start is not double start || DecayTokens <= 0 || token >= DecayTokens) return Final;
        return start + (Final - start) * token / DecayTokens;
    }

    public void Validate()
    {
        if (!(Final > 0) || double.IsInfinity(Final))
            throw new MemScanException($"--temperature must be > 0 and finite, got {Final}; use --top-k 1 for greedy decoding");
        if (Start is double s && (!(s > 0) || double.IsInfinity(s)))
            throw new MemScanException($"--temperature-start must be > 0 and finite, got {s}");
        if (DecayTokens < 0)
            throw new MemScanException($"--temperature-decay-tokens must be >= 0, got {DecayTokens}");
    }

    public override string ToString() => Start is double s && DecayTokens > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{s:G}→{Final:G} over {DecayTokens} tokens")
        : Final.ToString("G", CultureInfo.InvariantCulture);
}
