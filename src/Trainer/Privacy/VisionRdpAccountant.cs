namespace MemScan.Trainer.Privacy;

/// <summary>
/// ε of DP-SGD for the vision trainer: Rényi DP of the Poisson-sampled Gaussian mechanism
/// (Mironov, Talwar, Zhang 2019, §3.3) at integer orders α = 2…256, composed over the steps and
/// converted to (ε, δ) with Balle et al. 2020, Thm. 21:
/// ε = T·RDP(α) + log((α − 1)/α) − (log δ + log α)/(α − 1), minimized over α.
/// For integer α, A_α = Σᵢ C(α,i) qⁱ (1−q)^{α−i} e^{(i²−i)/(2σ²)} is exact; leaving out fractional
/// orders only loosens ε slightly (it stays a valid upper bound).
/// Written for the CNN because the shared accountant (src/Trainer/Privacy on branch modes) had
/// not reached main; it can replace this class once it has.
/// </summary>
public static class VisionRdpAccountant
{
    public static (double Epsilon, int Order) Epsilon(double samplingRate, double noiseMultiplier, long steps, double delta)
    {
        if (!(samplingRate > 0 && samplingRate <= 1)) throw new Scanner.MemScanException($"sampling rate must be in (0, 1], got {samplingRate}");
        if (!(delta > 0 && delta < 1)) throw new Scanner.MemScanException($"delta must be in (0, 1), got {delta}");
        if (noiseMultiplier <= 0) return (double.PositiveInfinity, 0);
        double best = double.PositiveInfinity;
        int bestOrder = 0;
        for (int alpha = 2; alpha <= 256; alpha++)
        {
            double rdp = steps * Rdp(samplingRate, noiseMultiplier, alpha);
            double eps = rdp + Math.Log((alpha - 1.0) / alpha) - (Math.Log(delta) + Math.Log(alpha)) / (alpha - 1);
            if (eps < best) (best, bestOrder) = (eps, alpha);
        }
        return (Math.Max(0, best), bestOrder);
    }

    /// <summary>RDP of one step at integer order α: log(A_α)/(α − 1).</summary>
    public static double Rdp(double q, double sigma, int alpha)
    {
        if (q == 1) return alpha / (2 * sigma * sigma);
        double logA = double.NegativeInfinity, logBinomial = 0;
        for (int i = 0; i <= alpha; i++)
        {
            if (i > 0) logBinomial += Math.Log(alpha - i + 1) - Math.Log(i);
            double term = logBinomial + i * Math.Log(q) + (alpha - i) * Math.Log(1 - q) + (i * (double)i - i) / (2 * sigma * sigma);
            logA = LogAdd(logA, term);
        }
        return logA / (alpha - 1);
    }

    static double LogAdd(double a, double b)
    {
        if (double.IsNegativeInfinity(a)) return b;
        double hi = Math.Max(a, b), lo = Math.Min(a, b);
        return hi + Math.Log(1 + Math.Exp(lo - hi));
    }
}
