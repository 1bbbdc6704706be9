namespace MemScan.Scanner.Similarity;

/// <summary>
/// Linear centered kernel alignment (Kornblith, Norouzi, Lee and Hinton 2019, "Similarity of Neural
/// Network Representations Revisited", ICML) with the unbiased HSIC estimator of Song et al. 2012:
/// each Gram matrix is U-centered (diagonal zeroed, row and column means of the off-diagonal part
/// removed with the (n − 2) and 2(n − 1) corrections), and CKA = ⟨K̃, L̃⟩ / (‖K̃‖ ‖L̃‖), as in the
/// paper's reference code with <c>debiased=True</c>. Invariant to orthogonal transforms and
/// isotropic scaling of either representation; 1 for a representation against itself.
/// </summary>
public static class LinearCka
{
    public static double Of(Representation x, Representation y)
    {
        if (x.Examples != y.Examples) throw new MemScanException($"CKA compares representations of the same examples; got {x.Examples} and {y.Examples}");
        if (x.Examples < 4) throw new MemScanException($"the unbiased HSIC estimator needs at least 4 examples, got {x.Examples}");
        return OfGrams(x.Gram(), y.Gram());
    }

    public static double OfGrams(double[,] gramX, double[,] gramY)
    {
        var kx = UCenter(gramX);
        var ky = UCenter(gramY);
        double xy = 0, xx = 0, yy = 0;
        int n = kx.GetLength(0);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                xy += kx[i, j] * ky[i, j];
                xx += kx[i, j] * kx[i, j];
                yy += ky[i, j] * ky[i, j];
            }
        // A constant representation has no variation to align: similarity 0, not 0/0.
        return xx <= 0 || yy <= 0 ? 0 : xy / Math.Sqrt(xx * yy);
    }

    /// <summary>U-centering of a Gram matrix (the unbiased estimator's centering), returned as a copy.</summary>
    public static double[,] UCenter(double[,] gram)
    {
        int n = gram.GetLength(0);
        var k = (double[,])gram.Clone();
        for (int i = 0; i < n; i++) k[i, i] = 0;
        var means = new double[n];
        double total = 0;
        for (int j = 0; j < n; j++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++) sum += k[i, j];
            means[j] = sum / (n - 2);
            total += means[j];
        }
        double correction = total / (2.0 * (n - 1));
        for (int j = 0; j < n; j++) means[j] -= correction;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                k[i, j] = i == j ? 0 : k[i, j] - means[i] - means[j];
        return k;
    }
}
