namespace MemScan.Scanner.Similarity;

/// <summary>
/// A layer's activations on a probe set: <see cref="Examples"/> rows of <see cref="Features"/>
/// values, row-major (an [n, C, H, W] tensor flattens to [n, C·H·W]).
/// </summary>
public sealed record Representation(float[] Values, int Examples, int Features)
{
    public static Representation Of(float[] values, int examples)
    {
        if (examples <= 0 || values.Length % examples != 0)
            throw new MemScanException($"{values.Length} activation values do not split into {examples} examples");
        return new Representation(values, examples, values.Length / examples);
    }

    /// <summary>Linear kernel: the n × n matrix of dot products between examples, in double precision.</summary>
    public double[,] Gram()
    {
        int n = Examples, p = Features;
        var gram = new double[n, n];
        var rows = new double[n][];
        for (int i = 0; i < n; i++)
        {
            rows[i] = new double[p];
            for (int j = 0; j < p; j++) rows[i][j] = Values[(long)i * p + j];
        }
        Parallel.For(0, n, i =>
        {
            var a = rows[i];
            for (int k = 0; k <= i; k++)
            {
                var b = rows[k];
                double sum = 0;
                for (int j = 0; j < a.Length; j++) sum += a[j] * b[j];
                gram[i, k] = sum;
                gram[k, i] = sum;
            }
        });
        return gram;
    }
}
