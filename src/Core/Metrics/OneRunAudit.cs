namespace MemScan.Scanner.Metrics;

/// <summary>
/// Privacy auditing with one training run (Steinke, Nasr, Jagielski 2023, "Privacy Auditing with
/// One (1) Training Run", NeurIPS; the p-value and search of its Appendix D). Each of m canaries is included in
/// training independently with probability ½. The auditor scores every canary, guesses "IN" for
/// the k₊ highest, "OUT" for the k₋ lowest and abstains on the rest: r = k₊ + k₋ guesses, v correct.
/// Under (ε, δ)-DP the number of correct guesses is stochastically dominated by Binomial(r, q),
/// q = e^ε / (1 + e^ε), up to a δ term, so the p-value of seeing ≥ v correct is
/// <code>
/// p(ε) = P[Binomial(r, q) ≥ v] + 2mδ · max_{1≤i≤v} P[v - i ≤ Binomial(r, q) &lt; v] / i
/// </code>
/// (the second term vanishes for δ = 0). The lower bound is the largest ε whose p-value is still
/// below β, i.e. sup{ε : p(ε) &lt; β}, found by bisection (p grows with ε). Guessing right on all
/// r gives the ceiling for r guesses; with δ = 0 it has the closed form ln(b / (1 - b)), b = β^{1/r}.
/// </summary>
public static class OneRunAudit
{
    /// <summary>The p-value p(ε) above: the chance of ≥ v correct guesses if the run were (ε, δ)-DP.</summary>
    public static double PValue(int canaries, int guesses, int correct, double epsilon, double delta = 0)
    {
        Check(canaries, guesses, correct, delta);
        if (!(epsilon >= 0)) throw new MemScanException($"epsilon must be >= 0, got {epsilon}");
        double q = 1 / (1 + Math.Exp(-epsilon)); // accuracy of ε-DP randomized response
        double p = Binomial.AtLeast(correct, guesses, q);
        if (delta > 0 && correct > 0)
        {
            double alphaTerm = 0, below = 0; // below = P[v - i <= Binomial(r, q) < v]
            for (int i = 1; i <= correct; i++)
            {
                below += Binomial.Pmf(correct - i, guesses, q);
                alphaTerm = Math.Max(alphaTerm, below / i);
            }
            p += alphaTerm * delta * 2 * canaries;
        }
        return Math.Min(p, 1);
    }

    /// <summary>The ε lower bound at confidence 1 - <paramref name="beta"/> (0 when nothing can be ruled out).</summary>
    public static double EpsilonLowerBound(int canaries, int guesses, int correct, double beta = 0.05, double delta = 0)
    {
        Check(canaries, guesses, correct, delta);
        if (!(beta > 0 && beta < 1)) throw new MemScanException($"beta (1 - confidence) must be in (0, 1), got {beta}");
        if (guesses == 0 || PValue(canaries, guesses, correct, 0, delta) >= beta) return 0;
        double lo = 0, hi = 1; // invariant: p(lo) < beta <= p(hi)
        while (PValue(canaries, guesses, correct, hi, delta) < beta)
        {
            lo = hi;
            hi *= 2;
            if (hi > 1e4) return lo; // q has long been 1 within double precision; cannot happen for r >= 1
        }
        for (int i = 0; i < 60 && hi - lo > 1e-12 * hi; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (PValue(canaries, guesses, correct, mid, delta) < beta) lo = mid;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>The largest bound <paramref name="guesses"/> guesses can give: all of them correct.</summary>
    public static double Ceiling(int canaries, int guesses, double beta = 0.05, double delta = 0) =>
        EpsilonLowerBound(canaries, guesses, guesses, beta, delta);

    /// <summary>
    /// Runs the guessing game on canary scores (higher = likelier IN): guess IN for the
    /// <paramref name="guessIn"/> highest scores and OUT for the <paramref name="guessOut"/> lowest
    /// (ties broken by position), count the correct guesses and bound ε. The guess counts must be
    /// fixed before looking at the scores; trying several and keeping the best invalidates β.
    /// </summary>
    public static OneRunAuditResult FromScores(IReadOnlyList<double> scores, IReadOnlyList<bool> isIncluded,
        int guessIn, int guessOut, double beta = 0.05, double delta = 0)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(isIncluded);
        if (scores.Count != isIncluded.Count)
            throw new MemScanException($"got {scores.Count} canary scores but {isIncluded.Count} inclusion labels; they must pair up");
        int m = scores.Count;
        if (guessIn < 0 || guessOut < 0 || guessIn + guessOut > m)
            throw new MemScanException($"cannot guess IN on {guessIn} and OUT on {guessOut} of {m} canaries");
        for (int i = 0; i < m; i++)
            if (double.IsNaN(scores[i])) throw new MemScanException($"canary score {i} of {m} is NaN");
        var order = Enumerable.Range(0, m).OrderByDescending(i => scores[i]).ToArray(); // stable: ties by position
        int correct = 0;
        for (int i = 0; i < guessIn; i++) if (isIncluded[order[i]]) correct++;
        for (int i = m - guessOut; i < m; i++) if (!isIncluded[order[i]]) correct++;
        int guesses = guessIn + guessOut;
        return new OneRunAuditResult(m, guesses, correct,
            EpsilonLowerBound(m, guesses, correct, beta, delta), Ceiling(m, guesses, beta, delta), beta, delta);
    }

    static void Check(int canaries, int guesses, int correct, double delta)
    {
        if (!(0 <= correct && correct <= guesses && guesses <= canaries))
            throw new MemScanException($"need 0 <= correct <= guesses <= canaries, got {correct} correct of {guesses} guesses on {canaries} canaries");
        if (!(delta >= 0 && delta <= 1)) throw new MemScanException($"delta must be in [0, 1], got {delta}");
    }
}
