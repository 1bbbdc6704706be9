using MemScan.Scanner.Similarity;
using Xunit;

namespace MemScan.Scanner.Tests.Similarity;

public class SimilarityTests
{
    static Representation Random(int n, int p, int seed, Func<int, int, double>? shape = null)
    {
        var random = new Random(seed);
        var values = new float[n * p];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < p; j++) values[i * p + j] = (float)(shape?.Invoke(i, j) ?? 0) + (float)(random.NextDouble() * 2 - 1);
        return new Representation(values, n, p);
    }

    /// <summary>X Q for a random orthogonal Q (Gram-Schmidt on a random p × p matrix).</summary>
    static Representation Rotated(Representation x, int seed)
    {
        int p = x.Features;
        var random = new Random(seed);
        var q = new double[p][];
        for (int k = 0; k < p; k++)
        {
            var v = Enumerable.Range(0, p).Select(_ => random.NextDouble() - 0.5).ToArray();
            for (int m = 0; m < k; m++)
            {
                double dot = v.Zip(q[m]).Sum(t => t.First * t.Second);
                for (int j = 0; j < p; j++) v[j] -= dot * q[m][j];
            }
            double norm = Math.Sqrt(v.Sum(t => t * t));
            q[k] = v.Select(t => t / norm).ToArray();
        }
        var values = new float[x.Values.Length];
        for (int i = 0; i < x.Examples; i++)
            for (int k = 0; k < p; k++)
            {
                double sum = 0;
                for (int j = 0; j < p; j++) sum += x.Values[i * p + j] * q[k][j];
                values[i * p + k] = (float)(3 * sum); // rotated and scaled
            }
        return new Representation(values, x.Examples, p);
    }

    /// <summary>Song et al. 2012's unbiased HSIC written out term by term, to check the U-centering against.</summary>
    static double HsicUnbiased(double[,] k, double[,] l)
    {
        int n = k.GetLength(0);
        var kt = (double[,])k.Clone();
        var lt = (double[,])l.Clone();
        for (int i = 0; i < n; i++) kt[i, i] = lt[i, i] = 0;
        double trace = 0, sumK = 0, sumL = 0, cross = 0;
        var rowK = new double[n];
        var rowL = new double[n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                trace += kt[i, j] * lt[j, i];
                sumK += kt[i, j];
                sumL += lt[i, j];
                rowK[i] += kt[i, j];
                rowL[j] += lt[i, j];
            }
        for (int i = 0; i < n; i++) cross += rowK[i] * rowL[i]; // 1ᵀ K̃ L̃ 1
        return (trace + sumK * sumL / ((n - 1.0) * (n - 2.0)) - 2.0 / (n - 2.0) * cross) / (n * (n - 3.0));
    }

    [Fact]
    public void Cka_of_a_representation_with_itself_is_one()
    {
        var x = Random(60, 12, seed: 1);
        Assert.Equal(1.0, LinearCka.Of(x, x), 10);
    }

    [Fact]
    public void Cka_is_invariant_to_an_orthogonal_transform_and_scaling_of_a_layer()
    {
        var x = Random(60, 12, seed: 2);
        var y = Random(60, 12, seed: 3, shape: (i, j) => j == 0 ? 3 * i / 60.0 : 0);
        var x2 = Random(60, 12, seed: 4, shape: (i, j) => j == 0 ? 3 * i / 60.0 : 0);
        Assert.Equal(1.0, LinearCka.Of(x, Rotated(x, seed: 5)), 6);
        Assert.Equal(LinearCka.Of(x2, y), LinearCka.Of(Rotated(x2, seed: 6), y), 6);
        Assert.True(LinearCka.Of(x2, y) > 0.15, $"layers sharing one strong direction: CKA {LinearCka.Of(x2, y):F3}");
    }

    [Fact]
    public void Cka_of_independent_representations_is_near_zero_and_matches_the_unbiased_hsic_formula()
    {
        var x = Random(200, 8, seed: 7);
        var y = Random(200, 8, seed: 8);
        double cka = LinearCka.Of(x, y);
        Assert.True(Math.Abs(cka) < 0.05, $"independent layers: CKA {cka:F4}");
        var (k, l) = (x.Gram(), y.Gram());
        double expected = HsicUnbiased(k, l) / Math.Sqrt(HsicUnbiased(k, k) * HsicUnbiased(l, l));
        Assert.Equal(expected, cka, 9);
    }

    [Fact]
    public void Svcca_is_one_for_a_rotated_copy_and_lower_for_an_independent_layer()
    {
        var x = Random(80, 10, seed: 9);
        Assert.Equal(1.0, Svcca.Of(x, Rotated(x, seed: 10)).Similarity, 6);
        var independent = Svcca.Of(x, Random(80, 10, seed: 11));
        Assert.True(independent.Similarity < 0.5, $"independent layers: SVCCA {independent.Similarity:F3}");
        Assert.InRange(independent.DirectionsX, 1, 40);
    }

    [Fact]
    public void A_constant_layer_has_similarity_zero_not_nan()
    {
        var constant = new Representation(Enumerable.Repeat(1f, 40).ToArray(), 10, 4);
        Assert.Equal(0, LinearCka.Of(constant, Random(10, 4, seed: 12)));
    }
}
