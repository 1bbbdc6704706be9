using MemScan.Scanner;

namespace MemScan.Trainer.Privacy;

/// <summary>
/// Rényi-DP accountant for the sampled Gaussian mechanism (Mironov, Talwar, Zhang 2019, "Rényi
/// Differential Privacy of the Sampled Gaussian Mechanism", §3.3) — the computation behind TF
/// Privacy's <c>compute_rdp</c> and Opacus's <c>analysis/rdp.py</c>.
/// <para>
/// Mechanism: each step samples every example independently with probability q (Poisson sampling;
/// add/remove-one adjacency), sums the per-example gradients clipped to L2 norm C, and adds
/// N(0, (σC)²) noise. Its RDP at order α is log(A_α)/(α − 1) with
/// A_α = E_{z∼N(0,σ²)}[((1 − q) + q·e^{(2z−1)/(2σ²)})^α]: a finite binomial sum for integer α, a
/// pair of erfc-weighted series for fractional α. Steps compose by adding RDP order by order;
/// (ε, δ) is the minimum over the orders of the chosen <see cref="EpsilonConversion"/>.
/// </para>
/// </summary>
public sealed class RdpAccountant
{
    /// <summary>Opacus's default orders (1.1 … 10.9 by 0.1, then 12 … 63) plus 128, 256 and 512 for very small ε.</summary>
    public static IReadOnlyList<double> DefaultOrders { get; } =
        [.. Enumerable.Range(1, 99).Select(x => 1 + x / 10.0), .. Enumerable.Range(12, 52).Select(x => (double)x), 128, 256, 512];

    readonly double[] orders;
    readonly double[] rdp;

    public RdpAccountant(IEnumerable<double>? orders = null)
    {
        this.orders = (orders ?? DefaultOrders).ToArray();
        if (this.orders.Length == 0 || this.orders.Any(a => !(a > 1) || double.IsInfinity(a)))
            throw new ArgumentException($"RDP orders must be finite and > 1, got [{string.Join(", ", this.orders)}]", nameof(orders));
        rdp = new double[this.orders.Length];
    }

    public IReadOnlyList<double> Orders => orders;

    /// <summary>The accumulated RDP at each order (same indexing as <see cref="Orders"/>).</summary>
    public IReadOnlyList<double> Rdp => rdp;

    /// <summary>Mechanism applications composed so far.</summary>
    public long Steps { get; private set; }

    /// <summary>Composes <paramref name="steps"/> applications of the sampled Gaussian mechanism.</summary>
    public RdpAccountant Compose(double samplingRate, double noiseMultiplier, long steps = 1)
    {
        CheckMechanism(samplingRate, noiseMultiplier);
        if (steps < 0) throw new ArgumentOutOfRangeException(nameof(steps), steps, "steps must be >= 0");
        for (int i = 0; i < orders.Length; i++)
            rdp[i] += steps == 0 ? 0 : steps * ComputeRdp(samplingRate, noiseMultiplier, orders[i]);
        Steps += steps;
        return this;
    }

    /// <summary>The smallest ε over the orders at this <paramref name="delta"/> (0 ≤ ε; +∞ without noise).</summary>
    public PrivacySpent GetPrivacySpent(double delta, EpsilonConversion conversion = EpsilonConversion.Improved)
    {
        if (!(delta > 0 && delta < 1)) throw new ArgumentOutOfRangeException(nameof(delta), delta, "delta must be in (0, 1)");
        double best = double.PositiveInfinity, bestOrder = double.NaN;
        for (int i = 0; i < orders.Length; i++)
        {
            double a = orders[i];
            double eps = conversion switch
            {
                EpsilonConversion.Classic => rdp[i] - Math.Log(delta) / (a - 1),
                _ => rdp[i] + Math.Log((a - 1) / a) - (Math.Log(delta) + Math.Log(a)) / (a - 1),
            };
            if (eps < best) (best, bestOrder) = (eps, a);
        }
        return new PrivacySpent(Math.Max(0, best), delta, bestOrder, conversion);
    }

    /// <summary>ε after <paramref name="steps"/> steps at sampling rate q and noise multiplier σ.</summary>
    public static PrivacySpent Epsilon(double samplingRate, double noiseMultiplier, long steps, double delta,
        EpsilonConversion conversion = EpsilonConversion.Improved, IEnumerable<double>? orders = null) =>
        new RdpAccountant(orders).Compose(samplingRate, noiseMultiplier, steps).GetPrivacySpent(delta, conversion);

    /// <summary>
    /// The smallest noise multiplier σ whose ε after <paramref name="steps"/> steps is at most
    /// <paramref name="targetEpsilon"/>: doubling to bracket it, then bisection down to a relative
    /// width of 1e-6. The upper end is returned, so the guarantee always holds. ε is decreasing in σ.
    /// </summary>
    public static double NoiseMultiplierFor(double targetEpsilon, double delta, double samplingRate, long steps,
        EpsilonConversion conversion = EpsilonConversion.Improved, IEnumerable<double>? orders = null)
    {
        if (!(targetEpsilon > 0) || double.IsInfinity(targetEpsilon))
            throw new MemScanException($"target epsilon must be a positive number, got {targetEpsilon}");
        if (steps <= 0) throw new MemScanException($"steps must be > 0 to calibrate noise, got {steps}");
        var grid = (orders ?? DefaultOrders).ToArray();
        double Eps(double sigma) => Epsilon(samplingRate, sigma, steps, delta, conversion, grid).Epsilon;

        const double MaxSigma = 1e4;
        double lo = 0, hi = 1;
        while (Eps(hi) > targetEpsilon)
        {
            lo = hi;
            hi *= 2;
            if (hi > MaxSigma)
                throw new MemScanException(
                    $"target epsilon {targetEpsilon} at delta {delta} is out of reach: even noise multiplier {MaxSigma} " +
                    $"gives epsilon {Eps(MaxSigma):G4} over {steps} steps at sampling rate {samplingRate:G4}");
        }
        while (hi - lo > 1e-6 * hi)
        {
            double mid = (lo + hi) / 2;
            if (Eps(mid) > targetEpsilon) lo = mid; else hi = mid;
        }
        return hi;
    }

    /// <summary>RDP of one application of the sampled Gaussian mechanism at order α (can be +∞).</summary>
    public static double ComputeRdp(double samplingRate, double noiseMultiplier, double alpha)
    {
        CheckMechanism(samplingRate, noiseMultiplier);
        double q = samplingRate, sigma = noiseMultiplier;
        if (q == 0) return 0;
        if (sigma == 0) return double.PositiveInfinity;
        // Without subsampling it is the plain Gaussian mechanism: α / (2σ²).
        if (q == 1) return alpha / (2 * sigma * sigma);
        if (double.IsPositiveInfinity(alpha)) return double.PositiveInfinity;
        double logA = alpha == Math.Floor(alpha) ? LogAIntegerOrder(q, sigma, (int)alpha) : LogAFractionalOrder(q, sigma, alpha);
        return logA / (alpha - 1);
    }

    /// <summary>log A_α = log Σ_{i=0..α} C(α,i) q^i (1−q)^{α−i} e^{(i²−i)/(2σ²)} (Mironov et al. 2019, §3.3).</summary>
    internal static double LogAIntegerOrder(double q, double sigma, int alpha)
    {
        double logA = double.NegativeInfinity, logBinom = 0;
        for (int i = 0; i <= alpha; i++)
        {
            if (i > 0) logBinom += Math.Log(alpha - i + 1) - Math.Log(i);
            double s = logBinom + i * Math.Log(q) + (alpha - i) * Math.Log(1 - q) + (i * (double)i - i) / (2 * sigma * sigma);
            logA = LogMath.Add(logA, s);
        }
        return logA;
    }

    /// <summary>
    /// log A_α for fractional α: A_α splits at z₀ = σ² log(1/q − 1) + 1/2 into two integrals, each a
    /// convergent series over the generalized binomial coefficients C(α, i) (which alternate in sign
    /// past i = α), weighted by Gaussian tails written with erfc. Summed until both terms fall below
    /// e^-30 (Mironov et al. 2019, §3.3; the same stopping rule as TF Privacy and Opacus).
    /// </summary>
    internal static double LogAFractionalOrder(double q, double sigma, double alpha)
    {
        double logA0 = double.NegativeInfinity, logA1 = double.NegativeInfinity;
        double z0 = sigma * sigma * Math.Log(1 / q - 1) + 0.5;
        double logAbsBinom = 0, sign = 1;
        for (int i = 0; ; i++)
        {
            if (i > 0)
            {
                // C(α, i) = C(α, i−1) · (α − i + 1) / i
                double factor = (alpha - i + 1) / i;
                if (factor < 0) sign = -sign;
                logAbsBinom += Math.Log(Math.Abs(factor));
            }
            double j = alpha - i;
            double logT0 = logAbsBinom + i * Math.Log(q) + j * Math.Log(1 - q);
            double logT1 = logAbsBinom + j * Math.Log(q) + i * Math.Log(1 - q);
            double logE0 = Math.Log(0.5) + LogMath.LogErfc((i - z0) / (Math.Sqrt(2) * sigma));
            double logE1 = Math.Log(0.5) + LogMath.LogErfc((z0 - j) / (Math.Sqrt(2) * sigma));
            double logS0 = logT0 + (i * (double)i - i) / (2 * sigma * sigma) + logE0;
            double logS1 = logT1 + (j * j - j) / (2 * sigma * sigma) + logE1;
            if (sign > 0)
            {
                logA0 = LogMath.Add(logA0, logS0);
                logA1 = LogMath.Add(logA1, logS1);
            }
            else
            {
                logA0 = LogMath.Sub(logA0, logS0);
                logA1 = LogMath.Sub(logA1, logS1);
            }
            if (Math.Max(logS0, logS1) < -30) break;
            if (i > 100_000)
                throw new ArithmeticException($"RDP series did not converge: q {q}, sigma {sigma}, alpha {alpha}");
        }
        return LogMath.Add(logA0, logA1);
    }

    static void CheckMechanism(double q, double sigma)
    {
        if (!(q >= 0 && q <= 1)) throw new MemScanException($"sampling rate must be in [0, 1], got {q}");
        if (!(sigma >= 0) || double.IsInfinity(sigma)) throw new MemScanException($"noise multiplier must be a finite number >= 0, got {sigma}");
    }
}
