namespace MemScan.Scanner.Probes.Vision;

/// <summary>
/// k-nearest-neighbour labels in a model's embedding space (Cohen, Sapiro, Giryes 2018, "DNN or k-NN:
/// That is the Generalize vs. Memorize Question"): for each query, the majority training label among
/// its k closest training embeddings by Euclidean distance, leaving the query itself out when it is
/// a training example. Ties go to the label whose neighbours are closer in total.
/// </summary>
public static class KnnLabels
{
    /// <param name="train">training embeddings, row-major [n, d]</param>
    /// <param name="queries">query embeddings [m, d]</param>
    /// <param name="self">for each query, its row in <paramref name="train"/> (left out), or -1</param>
    /// <returns>per query: the k-NN label and the share of the k neighbours carrying <paramref name="queryLabels"/>[i]</returns>
    public static (int Label, double Agreement)[] Compute(float[] train, int[] trainLabels, float[] queries, int[] queryLabels, int[] self, int d, int k, int classes)
    {
        int n = trainLabels.Length, m = queryLabels.Length;
        if (n < 2) throw new MemScanException($"k-NN needs at least 2 training embeddings, got {n}");
        k = Math.Min(k, n - 1);
        var result = new (int, double)[m];
        Parallel.For(0, m, q =>
        {
            var distances = new (double Distance, int Index)[n];
            var query = queries.AsSpan(q * d, d);
            for (int t = 0; t < n; t++)
            {
                double sum = 0;
                var row = train.AsSpan(t * d, d);
                for (int j = 0; j < d; j++) { double diff = row[j] - query[j]; sum += diff * diff; }
                distances[t] = (t == self[q] ? double.PositiveInfinity : sum, t);
            }
            Array.Sort(distances, (a, b) => a.Distance != b.Distance ? a.Distance.CompareTo(b.Distance) : a.Index.CompareTo(b.Index));
            var votes = new int[classes];
            var closeness = new double[classes];
            int agree = 0;
            for (int j = 0; j < k; j++)
            {
                int label = trainLabels[distances[j].Index];
                votes[label]++;
                closeness[label] -= Math.Sqrt(distances[j].Distance);
                if (label == queryLabels[q]) agree++;
            }
            int best = 0;
            for (int c = 1; c < classes; c++)
                if (votes[c] > votes[best] || (votes[c] == votes[best] && closeness[c] > closeness[best])) best = c;
            result[q] = (best, (double)agree / k);
        });
        return result;
    }
}
