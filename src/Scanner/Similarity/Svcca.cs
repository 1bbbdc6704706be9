using MathNet.Numerics.LinearAlgebra;

namespace MemScan.Scanner.Similarity;

/// <summary>
/// SVCCA (Raghu, Gilmer, Yosinski and Sohl-Dickstein 2017, NeurIPS): each representation is
/// centered and reduced by SVD to the directions that keep <c>variance</c> (99%) of its variance,
/// then canonical correlation analysis between the two reduced subspaces; the similarity is the
/// mean canonical correlation. The SVD comes from the eigendecomposition of the centered n × n
/// Gram matrix (its eigenvectors are the left singular vectors), so wide layers cost no more than
/// narrow ones; the left singular vectors are orthonormal bases of the reduced subspaces, whose
/// canonical correlations are the singular values of U_xᵀ U_y. At most n/2 directions are kept per
/// side: with as many directions as examples, any two subspaces correlate perfectly.
/// </summary>
public static class Svcca
{
    public sealed record Result(double Similarity, int DirectionsX, int DirectionsY, IReadOnlyList<double> Correlations);

    public static Result Of(Representation x, Representation y, double variance = 0.99)
    {
        if (x.Examples != y.Examples) throw new MemScanException($"SVCCA compares representations of the same examples; got {x.Examples} and {y.Examples}");
        return OfGrams(x.Gram(), y.Gram(), variance);
    }

    public static Result OfGrams(double[,] gramX, double[,] gramY, double variance = 0.99)
    {
        var ux = Directions(gramX, variance);
        var uy = Directions(gramY, variance);
        if (ux.ColumnCount == 0 || uy.ColumnCount == 0) return new Result(0, ux.ColumnCount, uy.ColumnCount, []);
        var correlations = (ux.TransposeThisAndMultiply(uy)).Svd(computeVectors: false).S
            .Select(s => Math.Clamp(s, 0, 1)).Take(Math.Min(ux.ColumnCount, uy.ColumnCount)).ToList();
        return new Result(correlations.Average(), ux.ColumnCount, uy.ColumnCount, correlations);
    }

    /// <summary>Left singular vectors of the centered representation that keep <paramref name="variance"/> of its variance (at most n/2).</summary>
    static Matrix<double> Directions(double[,] gram, double variance)
    {
        int n = gram.GetLength(0);
        var k = Matrix<double>.Build.DenseOfArray(Center(gram));
        var evd = k.Evd(Symmetricity.Symmetric);
        var values = evd.EigenValues.Select(v => Math.Max(v.Real, 0)).ToArray();
        var order = Enumerable.Range(0, n).OrderByDescending(i => values[i]).ToArray();
        double total = values.Sum();
        if (total <= 0) return Matrix<double>.Build.Dense(n, 0);
        int keep = 0;
        double kept = 0;
        while (keep < n / 2 && kept < variance * total) kept += values[order[keep++]];
        return Matrix<double>.Build.DenseOfColumnVectors(order.Take(keep).Select(i => evd.EigenVectors.Column(i)));
    }

    /// <summary>H K H with H = I − 11ᵀ/n: the Gram matrix of the column-centered representation.</summary>
    static double[,] Center(double[,] gram)
    {
        int n = gram.GetLength(0);
        var rows = new double[n];
        double all = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++) rows[i] += gram[i, j];
            all += rows[i];
            rows[i] /= n;
        }
        all /= (double)n * n;
        var c = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                c[i, j] = gram[i, j] - rows[i] - rows[j] + all;
        return c;
    }
}
