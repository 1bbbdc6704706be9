using MemScan.Scanner.Results;

namespace MemScan.Scanner.Probes.Exposure;

/// <summary>
/// Severity of a canary's exposure, judged against the most its space allows (log2|R|): a secret
/// at the top of its space is extractable by enumeration; one in the middle is not memorized.
/// </summary>
public static class ExposureSeverity
{
    public static Severity For(double exposureBits, double maxBits, long rank)
    {
        double fraction = maxBits > 0 ? exposureBits / maxBits : 0;
        if (rank <= 1 || fraction >= 0.9) return Severity.Critical;
        if (fraction >= 0.6) return Severity.High;
        if (fraction >= 0.35) return Severity.Medium;
        if (fraction >= 0.2 && exposureBits >= 4) return Severity.Low;
        return Severity.Info;
    }
}
